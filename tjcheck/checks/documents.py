"""What the uploaded documents say (needs the optional extra tjcheck[ocr]).

Each document image is read once (tjcheck/documents/ocr.py); the rules compare what was read
with the profile. A read the recogniser is unsure of, or a field it cannot find, is a warning
that asks the person to look; only a confident read that contradicts the profile is an error.
ID numbers in messages are masked unless --show-pii.
"""
from __future__ import annotations

from datetime import date

from ..documents import text as doctext
from .base import ERROR, WARNING, Context, Skip, hit, rule
from .files import usable

HEDGE = ("，请人工确认", "; please look")
SURE = 0.95        # a line read with at least this confidence is taken as read
DOC_SOURCE = "domain.md：常见退回原因——身份信息与证件不一致、证明材料不清晰、学历信息与证书不一致"


def _slots(ctx: Context):
    """(slot, info, the kinds the slot takes) for every readable document image whose slot has
    document rules (the ruleset's documents.slots)."""
    takes = ctx.rs["documents"]["slots"]
    for slot, info in usable(ctx):
        if slot.kind != "photo" and info.image is not None and slot.path[-1] in takes:
            yield slot, info, takes[slot.path[-1]]


def _has_documents(ctx: Context) -> bool:
    return any(True for _ in _slots(ctx))


def _page(ctx: Context, info):
    """The text read on one document image, once per run (and once per process per content)."""
    from ..documents import ocr

    def compute():
        try:
            return ocr.read(info.image, info.image.tobytes() + repr(info.image.size).encode())
        except ocr.OcrBackendMissing:
            raise Skip(*ocr.install_hint()) from None
    return ctx.memo(f"ocr:{info.path}", compute)


def _kind(ctx: Context, info):
    """The kind of document the upload is, recognised once per run (every DC rule asks)."""
    return ctx.memo(f"kind:{info.path}", lambda: doctext.classify(_page(ctx, info).texts,
                                                                  ctx.rs["documents"]["kinds"]))


def _kind_words(ctx: Context, name: str) -> tuple[str, str]:
    k = ctx.rs["documents"]["kinds"][name]
    return k["zh"], k["en"]


def _doc_hit(slot, info, **params):
    return hit(slot.path, step=slot.step, file=info.name, slot=slot.label, name=info.name, **params)


@rule("DC001", step=(3, 5, 6, 7, 10), severity=ERROR, title=("上传的是该栏要求的证件", "The right document in each slot"),
      message=("{slot}：{name} {what}{hedge}", "{slot}: {name} {what}{hedge}"),
      fix=("在该栏上传要求的证件或证明（身份证人像面与国徽面不要颠倒，学历证书与学位证书分开上传）。",
           "Upload the document this slot asks for (the ID card's two sides not swapped, the diploma and the "
           "degree certificate each in its own slot)."),
      source=DOC_SOURCE + "；证件种类由文字识别判断，关键词见规则集 documents.kinds", tag="likely",
      when=_has_documents, per_slot=True)
def right_document(ctx: Context):
    """The kind of each upload, from the words printed on it (titles and labels of the national
    forms). Another kind recognised is an error (front and back swapped, a degree certificate in
    the diploma slot, a business licence as a work proof); nothing recognised is a warning."""
    for slot, info, takes in _slots(ctx):
        kind = _kind(ctx, info)
        if kind is None:
            yield _doc_hit(slot, info, severity=WARNING, what=("未能识别出证件种类（文字过少或不清晰）",
                                                               "could not be recognised as any document (little "
                                                               "or unclear text)"), hedge=HEDGE)
        elif kind.name not in takes:
            zh, en = _kind_words(ctx, kind.name)
            want = [_kind_words(ctx, k) for k in takes]
            yield _doc_hit(slot, info, what=(f"看起来是{zh}（识别到：{'、'.join(kind.found)}），该栏应上传"
                                             f"{'或'.join(w[0] for w in want)}",
                                             f"looks like a {en} (read: {', '.join(kind.found)}); this slot takes a "
                                             f"{' or '.join(w[1] for w in want)}"), hedge=("", ""))


def _contradiction(slot, info, score: float, what: tuple[str, str]):
    """A read that contradicts the profile: an error when its line was read with confidence,
    else a warning that gives the confidence and asks the person to look."""
    if score >= SURE:
        return _doc_hit(slot, info, what=what, hedge=("", ""))
    return _doc_hit(slot, info, severity=WARNING, what=what, hedge=(f"（识别置信度 {score:.2f}）" + HEDGE[0],
                                                                   f" (read with confidence {score:.2f})" + HEDGE[1]))


def _of_kind(ctx: Context, kind: str):
    """(slot, info, page) of every upload recognised as ``kind`` in a slot that takes it."""
    for slot, info, takes in _slots(ctx):
        if kind in takes:
            found = _kind(ctx, info)
            if found is not None and found.name == kind:
                yield slot, info, _page(ctx, info)


def _has_kind(kind: str):
    return lambda ctx: any(kind in takes for _, _, takes in _slots(ctx))


@rule("DC002", step=(3, 5), severity=ERROR, title=("身份证人像面与注册信息一致", "ID card front matches the registration"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("上传本人有效身份证的人像面；若证件信息无误，改正注册时填写的姓名或证件号码。",
           "Upload the front of your own valid ID card; if the card is right, correct the name or ID number "
           "given at registration."),
      source=DOC_SOURCE + "（身份信息与证件不一致）", tag="firm", when=_has_kind("id_front"), per_slot=True)
def id_front_matches(ctx: Context):
    """The 18-character number and the name printed on the ID card's front, against the
    registration's. A number read with confidence that differs is an error (the message shows
    both, masked); a number or name that cannot be found is a warning."""
    reg = ctx.p.registration
    for slot, info, page in _of_kind(ctx, "id_front"):
        number = (reg.id_number or "").strip().upper()
        read = [(n, line.score) for line in page.lines for n in doctext.id_numbers([line.text])]
        if number and read and number not in [n for n, _ in read]:
            n, score = read[0]
            yield _contradiction(slot, info, score, (f"证件上的号码 {ctx.mask_id(n)} 与注册的 {ctx.mask_id(number)} 不一致",
                                                     f"the number on the card, {ctx.mask_id(n)}, differs from the "
                                                     f"registered {ctx.mask_id(number)}"))
        elif number and not read:
            yield _doc_hit(slot, info, severity=WARNING, what=("未能在证件上读出 18 位证件号码",
                                                               "no 18-character ID number could be read on the "
                                                               "card"), hedge=HEDGE)
        name = (reg.name or "").strip()
        if name and not doctext.name_found(page.texts, name):
            shown = doctext.value_after(page.texts, "姓名")
            score = next((line.score for line in page.lines if shown and doctext.normalise(line.text) == shown), 0.0)
            sure = bool(shown) and score >= SURE
            yield _doc_hit(slot, info, severity=ERROR if sure else WARNING,
                           what=(f"证件上的姓名“{shown}”与注册的“{name}”不一致" if shown else
                                 f"未能在证件上找到注册的姓名“{name}”",
                                 f"the name on the card, \u201c{shown}\u201d, differs from the registered "
                                 f"\u201c{name}\u201d" if shown else
                                 f"the registered name \u201c{name}\u201d was not found on the card"),
                           hedge=("", "") if sure else HEDGE)


def exam_day(ctx: Context) -> date:
    """The exam's date in the exam year: exam.timeline, else documents.exam_day_default."""
    entry = (ctx.rs["exam"].get("timeline") or {}).get(ctx.exam_year) or {}
    try:
        return date.fromisoformat(str(entry["exam"]))
    except (KeyError, ValueError):
        month, day = (int(v) for v in str(ctx.rs["documents"]["exam_day_default"]).split("-"))
        return date(ctx.exam_year, month, day)


@rule("DC003", step=(3, 5), severity=ERROR, title=("身份证在有效期内", "ID card valid"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("到公安机关换领新证后，上传新证件的两面。", "Renew the ID card at the police and upload both sides of the "
           "new card."),
      source="证件须在有效期内；考试日期见规则集 exam.timeline / documents.exam_day_default", tag="likely",
      when=_has_kind("id_back"), per_slot=True)
def id_valid(ctx: Context):
    """The 有效期限 on the ID card's back: expired before today is an error; expiring before
    the exam day of the exam year is a warning (it must still be valid when the exam is sat);
    长期 never expires; a period that cannot be read is a warning."""
    for slot, info, page in _of_kind(ctx, "id_back"):
        v = doctext.validity(page.texts)
        if v is None:
            yield _doc_hit(slot, info, severity=WARNING, what=("未能读出有效期限", "the validity period could not "
                                                               "be read"), hedge=HEDGE)
        elif v.permanent:
            continue
        elif v.end < ctx.today:
            yield _doc_hit(slot, info, what=(f"有效期限 {v.text}：已于 {v.end.isoformat()} 过期",
                                             f"valid until {v.end.isoformat()} ({v.text}): expired"), hedge=("", ""))
        elif v.end < exam_day(ctx):
            day = exam_day(ctx).isoformat()
            yield _doc_hit(slot, info, severity=WARNING,
                           what=(f"有效期限 {v.text}：在考试日 {day} 之前到期",
                                 f"valid until {v.end.isoformat()} ({v.text}): expires before the exam on {day}"),
                           hedge=("，考试时须持有效证件", "; a valid card is needed at the exam"))


CERT_NO = {"diploma": ("diploma_no", "学历证书编号", "diploma number"),
           "degree": ("degree_no", "学位证书编号", "degree certificate number")}


def _cert_number(page) -> tuple[str, float] | None:
    """The certificate number printed after 证书编号 (or any 16–18-character run of digits and
    capitals on the page), with the confidence of its line."""
    for line in page.lines:
        norm = doctext.normalise(line.text)
        at = norm.find("编号")
        tail = norm[at + 2:].lstrip("：:") if at >= 0 else ""
        if tail:
            found = doctext.CERT_NUMBER.search(tail)
            if found:
                return found.group(0), line.score
    for line in page.lines:
        found = doctext.CERT_NUMBER.search(doctext.normalise(line.text))
        if found:
            return found.group(0), line.score
    return None


@rule("DC004", step=6, severity=ERROR, title=("证书编号与填写一致", "Certificate numbers match the profile"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("按证书原件改正填写的证书编号（逐位核对），或上传本人该学历/学位的证书。",
           "Correct the number typed in the profile from the certificate itself (character by character), or "
           "upload your own certificate for this level."),
      source=DOC_SOURCE + "（学历信息与证书不一致）", tag="firm",
      when=lambda ctx: _has_kind("diploma")(ctx) or _has_kind("degree")(ctx), per_slot=True)
def certificate_numbers(ctx: Context):
    """The number printed on the diploma and on the degree certificate, against the profile's
    学历证书编号 / 学位证书编号 of that entry, and the holder's name on it. One character off,
    read with confidence, is an error that names the position; an unsure read, a number or a
    name not found, is a warning to look."""
    name = (ctx.p.registration.name or "").strip()
    for kind, (field, zh_label, en_label) in CERT_NO.items():
        for slot, info, page in _of_kind(ctx, kind):
            entry = ctx.p.education[slot.path[1]]
            typed = (getattr(entry, field) or "").strip().upper()
            read = _cert_number(page)
            if typed and read is None:
                yield _doc_hit(slot, info, severity=WARNING, what=(f"未能在证书上读出{zh_label}",
                                                                   f"no {en_label} could be read on the certificate"),
                               hedge=HEDGE)
            elif typed and read[0] != typed:
                number, score = read
                where = [i + 1 for i, (a, b) in enumerate(zip(number, typed)) if a != b]
                diff = (f"（第 {'、'.join(map(str, where))} 位不同）", f" (position {', '.join(map(str, where))})") \
                    if len(number) == len(typed) and len(where) <= 3 else ("", "")
                yield _contradiction(slot, info, score, (f"证书上的编号 {number} 与填写的{zh_label} {typed} 不一致{diff[0]}",
                                                         f"the number on the certificate, {number}, differs from the "
                                                         f"{en_label} typed, {typed}{diff[1]}"))
            if name and not doctext.name_found(page.texts, name):
                yield _doc_hit(slot, info, severity=WARNING, what=(f"未能在证书上找到注册的姓名“{name}”",
                                                                   f"the registered name \u201c{name}\u201d was not "
                                                                   "found on the certificate"), hedge=HEDGE)
