"""The document rules (DC…) on the shipped specimen documents, read by the real OCR (extra
tjcheck[ocr]): each rule both ways, with the wrong variants made from the passing profile (the
two sides of the ID card swapped, a degree certificate in the diploma slot, another name or
number registered, a card that has expired or expires before the exam). The text functions
are also tested on their own."""
from __future__ import annotations

from datetime import date

import pytest

from tjcheck.documents import text as doctext
from tjcheck.engine import load_ruleset
from tjcheck.report import Outcome

KINDS = load_ruleset()["documents"]["kinds"]


def test_text_functions():
    back = ["中华人民共和国", "居民身份证", "签发机关", "天津市公安局南开分局", "有效期限", "2015.03.15-2035.03.15"]
    assert doctext.classify(back, KINDS).name == "id_back"
    v = doctext.validity(back)
    assert (v.start, v.end, v.permanent) == (date(2015, 3, 15), date(2035, 3, 15), False)
    assert doctext.validity(["有效期限 2016.01.02-长期"]).permanent
    assert doctext.validity(["有效期限", "2015.13.45-2035.03.15"]) is None or True   # never raises
    assert doctext.id_numbers(["公民身份号码 12010419880315024x"]) == ["12010419880315024X"]
    assert doctext.id_numbers(["编号 1120104198803150243"]) == []          # 19 digits: not an ID number
    assert doctext.normalise("學士學位證書 ") == "学士学位证书"
    assert doctext.value_after(["姓名", "李晓雯"], "姓名") == "李晓雯"
    assert doctext.classify(["会计专业工作经历证明", "姓名", "李晓雯", "统一社会信用代码"], KINDS).name == "work_proof"
    assert doctext.classify(["样本"], KINDS) is None


pytest.importorskip("rapidocr", reason="document checks need: pip install 'tjcheck[ocr]'")

DC = ("DC",)


def _dc(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for f in report.findings:
        if f.code.startswith(DC):
            found.setdefault(f.code, []).append(f)
    return found


def _outcomes(report) -> dict[str, set]:
    out: dict[str, set] = {}
    for r in report.results:
        if r.code.startswith(DC):
            out.setdefault(r.code, set()).add(r.outcome)
    return out


def test_the_passing_example_passes_every_document_check(check):
    report = check({})
    assert not _dc(report)
    outcomes = _outcomes(report)     # per step: passed where the rule has documents, else not applicable
    assert set(outcomes) == {f"DC{i:03d}" for i in range(1, 15)}
    assert all(o <= {Outcome.PASSED, Outcome.NOT_APPLICABLE} for o in outcomes.values())
    # no residence permit (a Tianjin hukou), no proof of study (employed), no handheld photo (real-name check
    # by alipay): DC010, DC011, DC013 not applicable
    assert {code for code, o in outcomes.items() if Outcome.PASSED in o} == \
        {f"DC{i:03d}" for i in range(1, 15)} - {"DC010", "DC011", "DC013"}


def test_swapped_id_sides_and_a_degree_in_the_diploma_slot_are_errors(check):
    report = check({"basic": {"id_front": "images/id_back.jpg", "id_back": "images/id_front.jpg"},
                    "education": {0: {"diploma_image": "images/degree.jpg"}}})
    wrong = {f.path: f for f in _dc(report)["DC001"]}
    assert {p for p in wrong} >= {"basic.id_front", "basic.id_back", "education[0].diploma_image"}, sorted(wrong)
    assert all(f.severity.value == "error" for f in wrong.values())
    assert "身份证国徽面" in wrong["basic.id_front"].message["zh"]
    assert "degree certificate" in wrong["education[0].diploma_image"].message["en"]


def test_an_unreadable_document_is_a_warning_to_look(check):
    report = check({"basic": {"id_back": "bad/no_face.jpg"}})   # noise: no text at all
    found = [f for f in _dc(report).get("DC001", []) if f.path == "basic.id_back"]
    assert len(found) == 1 and found[0].severity.value == "warning" and "请人工确认" in found[0].message["zh"]


def _check_char(body: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def test_another_registered_name_or_number_is_an_error_with_masked_numbers(check):
    other = "12010419880315025"
    other += _check_char(other)                                  # a valid number one digit off the card's
    report = check({"registration": {"name": "李晓云", "id_number": other}})
    found = _dc(report)["DC002"]
    messages = [f.message["zh"] for f in found]
    assert all(f.severity.value == "error" for f in found) and len(found) >= 2, messages
    assert any("李晓雯" in m and "李晓云" in m for m in messages), messages
    number = next(m for m in messages if "号码" in m)
    assert "1201**********0243" in number and other not in number and "120104198803150243" not in number
    shown = check({"registration": {"id_number": other}}, show_pii=True)
    assert any(other in f.message["zh"] for f in _dc(shown)["DC002"])


def test_an_expired_card_is_an_error_and_one_expiring_before_the_exam_a_warning(check):
    expired = _dc(check({}, as_of=date(2035, 6, 1)))["DC003"]
    assert expired and all(f.severity.value == "error" and "2035-03-15" in f.message["zh"] for f in expired)
    soon = _dc(check({"exam_year": 2035}, as_of=date(2035, 1, 10)))["DC003"]
    assert soon and all(f.severity.value == "warning" and "2035-05-16" in f.message["zh"] for f in soon)


def test_without_the_ocr_extra_the_document_checks_are_skipped_with_the_command(check, monkeypatch):
    from tjcheck.documents import ocr

    def missing(*_a, **_k):
        raise ocr.OcrBackendMissing("No module named 'rapidocr'")

    monkeypatch.setattr(ocr, "read", missing)
    report = check({})
    outcomes = _outcomes(report)
    assert outcomes and all(Outcome.PASSED not in o for o in outcomes.values()), outcomes
    assert {code for code, o in outcomes.items() if Outcome.SKIPPED in o} == \
        {f"DC{i:03d}" for i in range(1, 15)} - {"DC010", "DC011", "DC013"}, outcomes
    note = next(r.note for r in report.results if r.code == "DC001")
    assert 'pip install "tjcheck[ocr]"' in note["zh"] and 'pip install "tjcheck[ocr]"' in note["en"]
    assert report.verdict() != "reject"


def test_the_cache_holds_text_only_owner_only_and_can_be_switched_off(tmp_path, monkeypatch):
    import os
    import stat

    from PIL import Image

    from tjcheck.documents import cache, ocr

    from .conftest import EXAMPLES

    monkeypatch.setenv("TJCHECK_CACHE_DIR", str(tmp_path / "c"))
    image = Image.open(EXAMPLES / "passing" / "images" / "id_back.jpg").convert("RGB")
    content = image.tobytes() + b"test-cache"
    monkeypatch.setattr(ocr, "_pages", {})
    first = ocr.read(image, content)
    entries = list(cache.folder().glob("*.json"))
    assert len(entries) == 1 and stat.S_IMODE(os.stat(entries[0]).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache.folder()).st_mode) == 0o700
    assert "2015.03.15-2035.03.15" in entries[0].read_text(encoding="utf-8")
    monkeypatch.setattr(ocr, "_pages", {})
    monkeypatch.setattr(ocr, "engine", lambda: pytest.fail("read again although cached"))
    assert ocr.read(image, content).texts == first.texts
    monkeypatch.setenv("TJCHECK_NO_CACHE", "1")
    assert cache.load(entries[0].stem) is None
    monkeypatch.delenv("TJCHECK_NO_CACHE")
    assert cache.clear() == 1 and not list(cache.folder().glob("*.json"))


def test_the_failing_example_gains_document_findings():
    import json

    from typer.testing import CliRunner

    from tjcheck.cli import app

    from .conftest import EXAMPLES

    result = CliRunner().invoke(app, ["verify", str(EXAMPLES / "failing" / "profile.yaml"), "--as-of", "2026-11-26",
                                      "--format", "json", "--lang", "zh", "--select", "DC"],
                                env={"COLUMNS": "100"})
    found = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "DC002"]
    # registered as 王芳 with another number, it uploads 李晓雯's specimen card
    assert found and {f["severity"] for f in found} == {"error"}
    assert any("王" in f["message"] and "李晓雯" in f["message"] for f in found), found


def test_a_certificate_number_one_character_off_is_an_error_naming_the_position(check):
    found = _dc(check({"education": {0: {"diploma_no": "199991201005001235",
                                         "degree_no": "1999942010001243"}}}))["DC004"]
    by_slot = {f.path: f for f in found}
    diploma, degree = by_slot["education[0].diploma_image"], by_slot["education[0].degree_image"]
    assert diploma.severity.value == "error" and "199991201005001234" in diploma.message["zh"]
    assert "第 18 位不同" in diploma.message["zh"] and "position 18" in diploma.message["en"]
    assert degree.severity.value == "error" and "第 15、16 位不同" in degree.message["zh"]


def test_title_certificate_level_series_and_month_are_read(check):
    """DC007 both ways on drawn certificates: 助理会计师 (初级) and 经济师 are errors naming what
    was read; a different approval month is an error; the passing 中级 certificate passes."""
    def dc007(image, **title):
        return _dc(check({"title": {"certificate_image": image, **title}})).get("DC007", [])

    assistant = dc007("docs/title_cert_assistant.jpg")
    assert any(f.severity.value == "error" and "助理会计师" in f.message["zh"] for f in assistant), assistant
    economist = dc007("docs/title_cert_economist.jpg")
    assert any(f.severity.value == "error" and "不是会计系列" in f.message["zh"] for f in economist), economist
    month = dc007("docs/title_cert_other_month.jpg")
    assert [f.message["zh"] for f in month] == ["资格证书：证书的批准日期 2017-09 与填写的取得时间 2016-09 不一致"]
    assert dc007("docs/title_cert_ok.jpg") == []


def test_work_proof_employer_and_seal(check):
    """DC008: another unit's credit code, read with confidence, is an error showing both codes;
    DC009: a proof without a seal is a warning, the sealed one passes."""
    found = _dc(check({"work": {0: {"proof_image": "docs/work_proof_other_unit.jpg"}},
                       "title": {"certificate_image": "docs/title_cert_ok.jpg"}}))
    unit = [f for f in found["DC008"] if f.path == "work[0].proof_image"]
    assert len(unit) == 1 and unit[0].severity.value == "error"
    assert "91120104MA05T8KX3P" in unit[0].message["zh"] and "不一致" in unit[0].message["zh"]
    assert "DC009" not in found                      # the other unit's proof is sealed
    noseal = _dc(check({"work": {0: {"proof_image": "docs/work_proof_noseal.jpg"}}}))
    assert [f.severity.value for f in noseal["DC009"]] == ["warning"]
    assert "未发现红色印章" in noseal["DC009"][0].message["zh"]
    assert "黑白" not in noseal["DC009"][0].message["zh"]     # a colour page without a seal: look


def test_a_black_and_white_scan_saved_as_colour_says_why_no_seal_shows(check, profile_dir):
    """DC009 on a greyscale copy of the sealed proof saved as an RGB JPEG (as scanners do): the
    seal cannot show, and the warning says the image has no colour rather than 'look'."""
    from PIL import Image

    grey = Image.open(profile_dir / "docs" / "work_proof_ok.jpg").convert("L").convert("RGB")
    grey.save(profile_dir / "grey_proof.jpg", quality=80)
    found = _dc(check({"work": {0: {"proof_image": "grey_proof.jpg"}}}))
    assert [f.severity.value for f in found["DC009"]] == ["warning"]
    assert "图片为黑白" in found["DC009"][0].message["zh"], found["DC009"]


def test_residence_permit_and_proof_of_study_validity(check):
    found = _dc(check({"basic": {"residence_permit": "docs/residence_permit_expired.jpg"},
                       "education": {0: {"study_proof_image": "docs/study_proof_report_expired.jpg"}}}))
    assert [f.message["zh"] for f in found["DC010"]] == ["天津市居住证：有效期限至 2025-06-30，已过期"]
    assert [f.message["zh"] for f in found["DC011"]] == ["在学证明：报告有效期至 2026-01-31，已过期"]
    beijing = _dc(check({"basic": {"residence_permit": "docs/residence_permit_beijing.jpg"}}))["DC010"]
    assert len(beijing) == 1 and beijing[0].severity.value == "error" and "北京市" in beijing[0].message["zh"]
    ok = _dc(check({"basic": {"residence_permit": "docs/residence_permit_ok.jpg"},
                    "education": {0: {"study_proof_image": "docs/study_proof_card.jpg"}}}))
    assert "DC010" not in ok and "DC011" not in ok


def test_legibility_gives_the_measure(check):
    found = _dc(check({"work": {0: {"proof_image": "docs/tiny_text.jpg",
                                    "posts": {0: {"proof_image": "docs/blurry.jpg"}}}}}))["DC012"]
    by_path = {f.path: f.message["zh"] for f in found}
    assert "文字行高约 14 像素" in by_path["work[0].proof_image"], by_path
    assert "文字边缘模糊" in by_path["work[0].posts[0].proof_image"], by_path
    assert all(f.severity.value == "warning" for f in found)


def test_handheld_photo_without_a_card(check):
    found = _dc(check({"realname": {"method": "online", "id_handheld": "docs/handheld_no_card.jpg"}}))
    assert [f.severity.value for f in found["DC013"]] == ["warning"]
    assert "未能读出身份证人像面的文字" in found["DC013"][0].message["zh"]
    assert not [f for f in found.get("DC001", []) if f.path == "realname.id_handheld"]   # said once, by DC013


def test_a_turned_document_is_read_turned_and_said_to_be_turned(check, profile_dir):
    """DC014: an upside-down work proof is read turned (so DC008 still finds the holder and the
    unit, DC009 the seal) and said to need 180°; a certificate turned clockwise reads as it is
    and needs 90° counter-clockwise; one turned counter-clockwise needs 90° clockwise."""
    from PIL import Image

    upside = _dc(check({"work": {0: {"proof_image": "docs/work_proof_upside_down.jpg"}}}))
    assert [f.message["zh"] for f in upside["DC014"]] == [
        "会计工作经历证明：docs/work_proof_upside_down.jpg 上下颠倒（需旋转 180°），审核人员看到的证件方向不正，请转正后重新上传"]
    assert not [f for f in upside.get("DC001", []) + upside.get("DC008", []) + upside.get("DC009", [])
                if f.path == "work[0].proof_image"], upside
    sideways = _dc(check({"title": {"certificate_image": "docs/title_cert_sideways.jpg"}}))
    assert "需逆时针旋转 90°" in sideways["DC014"][0].message["zh"]
    assert "DC006" not in sideways and "DC007" not in sideways      # its contents were read and match
    Image.open(profile_dir / "docs" / "title_cert_ok.jpg").rotate(90, expand=True).save(profile_dir / "ccw.jpg")
    ccw = _dc(check({"title": {"certificate_image": "ccw.jpg"}}))
    assert "需顺时针旋转 90°" in ccw["DC014"][0].message["zh"] and "DC007" not in ccw, ccw


def test_the_expired_id_example_shows_both_document_errors():
    """examples/expired-id: an expired ID card (DC003) and a diploma number typed one digit off
    (DC004), and nothing else wrong with the documents."""
    from tjcheck.engine import load_ruleset, verify
    from tjcheck.profile import load_profile

    from .conftest import EXAMPLES

    report = verify(load_profile(EXAMPLES / "expired-id" / "profile.yaml"), load_ruleset(), today=date(2026, 11, 26))
    found = {(f.code, f.severity.value) for f in report.findings if f.code.startswith(DC)}
    assert found == {("DC003", "error"), ("DC004", "error")}, found
    diploma = next(f for f in report.findings if f.code == "DC004")
    assert "第 17 位不同" in diploma.message["zh"]


def test_pixels_are_read_as_a_viewer_shows_them():
    """ocr.upright: a 16-bit greyscale scan keeps its contrast (not clipped to white), and a
    transparent PNG's ink shows on white (not on black, as a plain conversion drops the alpha)."""
    import numpy as np
    from PIL import Image

    from tjcheck.documents.ocr import upright

    ink = np.full((60, 80), 255, np.uint8)
    ink[20:40, 10:70] = 0
    wide = Image.fromarray(ink.astype(np.uint16) * 257)
    assert wide.mode.startswith("I")
    assert np.array_equal(np.asarray(upright(wide)), ink)
    clear = np.zeros((60, 80, 4), np.uint8)
    clear[..., 3] = 255 - ink                     # black ink, transparent paper
    shown = np.asarray(upright(Image.fromarray(clear, "RGBA")))
    assert shown.shape == (60, 80, 3) and shown[0, 0].tolist() == [255, 255, 255] and shown[30, 40].tolist() == [0, 0, 0]
