"""What the uploaded documents say (needs the optional extra tjcheck[ocr]).

Each document image is read once (tjcheck/documents/ocr.py); the rules compare what was read
with the profile. A read the recogniser is unsure of, or a field it cannot find, is a warning
that asks the person to look; only a confident read that contradicts the profile is an error.
ID numbers in messages are masked unless --show-pii.
"""
from __future__ import annotations

from datetime import date

from ..documents import fields
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


def upright(ctx: Context, info):
    """The image as a viewer shows it (turned by its EXIF orientation), once per run."""
    from ..documents import ocr

    return ctx.memo(f"upright:{info.path}", lambda: ocr.upright(info.image))


def content(ctx: Context, info) -> bytes:
    """What identifies a document image for the cache: a digest of its upright pixels, once per run."""
    from ..documents import ocr

    return ctx.memo(f"content:{info.path}", lambda: ocr.digest(upright(ctx, info)))


def _reading(ctx: Context, info):
    """(image, page, turn): the text read on one document image, once per run (and once per
    content between runs); a page that reads only when turned (upside down, sideways) is read
    turned (documents/orientation.py): the rules check what it says and DC014 asks for it to be
    turned."""
    from ..documents import ocr

    def compute():
        from ..documents import orientation
        try:
            return orientation.read_upright(upright(ctx, info), content(ctx, info), ctx.rs["documents"]["kinds"],
                                            ctx.rs["documents"]["orientation"])
        except ocr.OcrBackendMissing:
            raise Skip(*ocr.install_hint()) from None
    return ctx.memo(f"reading:{info.path}", compute)


def _page(ctx: Context, info):
    """The text read on one document image (turned upright if it had to be, see _reading)."""
    return _reading(ctx, info)[1]


def _kind(ctx: Context, info):
    """The kind of document the upload is, recognised once per run (every DC rule asks)."""
    return ctx.memo(f"kind:{info.path}", lambda: doctext.classify(_page(ctx, info).texts,
                                                                  ctx.rs["documents"]["kinds"]))


def _kind_words(ctx: Context, name: str) -> tuple[str, str]:
    k = ctx.rs["documents"]["kinds"][name]
    return k["zh"], k["en"]


def doc_hit(slot, info, **params):
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
        if kind is None and slot.path[-1] == "id_handheld":
            continue                  # DC013 says what the handheld photo lacks
        if kind is None:
            yield doc_hit(slot, info, severity=WARNING, what=("未能识别出证件种类（文字过少或不清晰）",
                                                               "could not be recognised as any document (little "
                                                               "or unclear text)"), hedge=HEDGE)
        elif kind.name not in takes:
            zh, en = _kind_words(ctx, kind.name)
            want = [_kind_words(ctx, k) for k in takes]
            yield doc_hit(slot, info, what=(f"看起来是{zh}（识别到：{'、'.join(kind.found)}），该栏应上传"
                                             f"{'或'.join(w[0] for w in want)}",
                                             f"looks like a {en} (read: {', '.join(kind.found)}); this slot takes a "
                                             f"{' or '.join(w[1] for w in want)}"), hedge=("", ""))


def contradiction(slot, info, score: float, what: tuple[str, str]):
    """A read that contradicts the profile: an error when its line was read with confidence,
    else a warning that gives the confidence and asks the person to look."""
    if score >= SURE:
        return doc_hit(slot, info, what=what, hedge=("", ""))
    return doc_hit(slot, info, severity=WARNING, what=what, hedge=(f"（识别置信度 {score:.2f}）" + HEDGE[0],
                                                                   f" (read with confidence {score:.2f})" + HEDGE[1]))


def uploads_of_kind(ctx: Context, kind: str):
    """(slot, info, page) of every upload recognised as ``kind`` in a slot that takes it."""
    for slot, info, takes in _slots(ctx):
        if kind in takes:
            found = _kind(ctx, info)
            if found is not None and found.name == kind:
                yield slot, info, _page(ctx, info)


def has_kind(kind: str):
    return lambda ctx: any(kind in takes for _, _, takes in _slots(ctx))


def holder_matches(ctx: Context, slot, info, page, kind: str, on: tuple[str, str], id_number: str = "required"):
    """The name (and the 18-character ID number: ``required``, ``if_printed`` or ``no``)
    printed on a document, against the registration's. A confident read that differs is an
    error (numbers masked); a name or a required number that cannot be found is a warning."""
    reg = ctx.p.registration
    number = (reg.id_number or "").strip().upper()
    if id_number != "no" and number and ctx.id_format in ("resident_id", "hmt_residence"):
        read = [(n, line.score) for line in page.lines for n in doctext.id_numbers([line.text])]
        if read and number not in [n for n, _ in read]:
            n, score = read[0]
            yield contradiction(slot, info, score, (f"{on[0]}的号码 {ctx.mask_id(n)} 与注册的 {ctx.mask_id(number)} 不一致",
                                                     f"the number {on[1]}, {ctx.mask_id(n)}, differs from the "
                                                     f"registered {ctx.mask_id(number)}"))
        elif not read and id_number == "required":
            yield doc_hit(slot, info, severity=WARNING, what=(f"未能在{on[0]}读出 18 位证件号码",
                                                               f"no 18-character ID number could be read {on[1]}"),
                           hedge=HEDGE)
    name = (reg.name or "").strip()
    if name and not fields.found_on(page.lines, name):
        shown = fields.name(page.lines, kind)
        if shown:
            yield contradiction(slot, info, shown.score, (f"{on[0]}的姓名“{shown.value}”与注册的“{name}”不一致",
                                                           f"the name {on[1]}, \u201c{shown.value}\u201d, differs "
                                                           f"from the registered \u201c{name}\u201d"))
        else:
            yield doc_hit(slot, info, severity=WARNING, what=(f"未能在{on[0]}找到注册的姓名“{name}”",
                                                               f"the registered name \u201c{name}\u201d was not found "
                                                               f"{on[1]}"), hedge=HEDGE)


ON_CARD = ("证件上", "on the card")


@rule("DC002", step=(3, 5), severity=ERROR, title=("身份证人像面与注册信息一致", "ID card front matches the registration"),
      message=("{slot}：{what}{hedge}", "{slot}: {what}{hedge}"),
      fix=("上传本人有效身份证的人像面；若证件信息无误，改正注册时填写的姓名或证件号码。",
           "Upload the front of your own valid ID card; if the card is right, correct the name or ID number "
           "given at registration."),
      source=DOC_SOURCE + "（身份信息与证件不一致）", tag="firm", when=has_kind("id_front"), per_slot=True)
def id_front_matches(ctx: Context):
    """The 18-character number and the name printed on the ID card's front, against the
    registration's. A number or name read with confidence that differs is an error (the
    message shows both, numbers masked); one that cannot be found is a warning."""
    for slot, info, page in uploads_of_kind(ctx, "id_front"):
        yield from holder_matches(ctx, slot, info, page, "id_front", ON_CARD)


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
      when=has_kind("id_back"), per_slot=True)
def id_valid(ctx: Context):
    """The 有效期限 on the ID card's back: expired before today is an error (a warning when the
    date was read unsure); expiring before the exam day of the exam year is a warning (it must
    still be valid when the exam is sat); 长期 never expires; a period not read is a warning."""
    for slot, info, page in uploads_of_kind(ctx, "id_back"):
        yield from validity_findings(ctx, slot, info, fields.valid_until(page.lines, "id_back"),
                                     ("有效期限", "the validity period"),
                                     ("，考试时须持有效证件", "; a valid card is needed at the exam"))


def validity_findings(ctx: Context, slot, info, read, label: tuple[str, str], before_exam: tuple[str, str]):
    """The end of a document's validity (``read``: fields.valid_until) against today and the exam
    day: expired, an error when read with confidence; ending before the exam, a warning that
    adds ``before_exam``; 长期, nothing; not read, a warning."""
    zh, en = label
    if read is None:
        yield doc_hit(slot, info, severity=WARNING, what=(f"未能读出{zh}", f"{en} could not be read"), hedge=HEDGE)
        return
    if read.value == "长期":
        return
    end = date.fromisoformat(read.value)
    if end < ctx.today:
        yield contradiction(slot, info, read.score, (f"{zh}至 {read.value}，已过期", f"valid until {read.value}: "
                                                      "expired"))
    elif end < exam_day(ctx):
        day = exam_day(ctx).isoformat()
        yield doc_hit(slot, info, severity=WARNING, what=(f"{zh}至 {read.value}，在考试日 {day} 之前到期",
                                                           f"valid until {read.value}, before the exam on {day}"),
                       hedge=before_exam)


def _legibility(ctx: Context, info, min_chars: int):
    """The legibility figures of one document, kept in the cache with its text."""
    from dataclasses import asdict

    from ..documents import legibility, ocr

    lines = _page(ctx, info).lines          # first: without the reader the rule is skipped, cached figures or not

    def compute():
        m = legibility.measure(_reading(ctx, info)[0], lines, min_chars)
        return asdict(m) if m else None
    d = ocr.remembered(f"legibility-{min_chars}", content(ctx, info), compute)
    return legibility.Legibility(**d) if d else None


@rule("DC012", step=(3, 5, 6, 7, 10), severity=WARNING, title=("证件图片清晰可读", "Documents legible"),
      message=("{slot}：{name} {what}，审核人员可能看不清{hedge}", "{slot}: {name} {what}; the reviewer may not "
               "be able to read it{hedge}"),
      fix=("在光线充足处正对证件拍摄或扫描，文字清晰、对焦准确，不要缩小图片后再上传。",
           "Scan the document, or photograph it straight on in good light and in focus; do not shrink the image "
           "before uploading."),
      source=DOC_SOURCE + "（证明材料不清晰）；阈值见规则集 documents.legibility", tag="likely",
      when=_has_documents, per_slot=True)
def legible(ctx: Context):
    """How the text of every document reads (tjcheck/documents/legibility.py): the median
    height of its lines in pixels, how blurred their ink edges are relative to that height, and
    the recogniser's median confidence. Past any limit of documents.legibility, a warning that
    gives the measures."""
    spec = ctx.rs["documents"]["legibility"]
    for slot, info, _takes in _slots(ctx):
        m = ctx.memo(f"legibility:{info.path}", lambda: _legibility(ctx, info, spec["min_chars"]))  # noqa: B023
        if m is None or m.lines < spec["min_lines"]:
            continue                  # nothing to measure: DC001 says the document was not recognised
        parts = []
        if m.height < spec["min_text_px"]:
            parts.append((f"文字行高约 {m.height:.0f} 像素（宜 ≥ {spec['min_text_px']}）",
                          f"lines of text about {m.height:.0f} px high (≥ {spec['min_text_px']} advised)"))
        if m.blur is not None and m.blur > spec["max_blur"]:
            parts.append((f"文字边缘模糊（模糊宽度为行高的 {m.blur:.2f}，宜 ≤ {spec['max_blur']}）",
                          f"blurred text (edges {m.blur:.2f} of the line height wide, ≤ {spec['max_blur']} advised)"))
        if m.confidence < spec["min_confidence"]:
            parts.append((f"文字识别置信度 {m.confidence:.2f}（宜 ≥ {spec['min_confidence']}）",
                          f"text read with confidence {m.confidence:.2f} (≥ {spec['min_confidence']} advised)"))
        if parts:
            yield doc_hit(slot, info, what=("，".join(p[0] for p in parts), ", ".join(p[1] for p in parts)),
                           hedge=("", ""))


@rule("DC013", step=3, severity=WARNING, title=("手持证件照中有本人和证件", "Handheld photo shows you and the card"),
      message=("{slot}：{name} {what}{hedge}", "{slot}: {name} {what}{hedge}"),
      fix=("本人正对镜头、手持身份证人像面于胸前拍摄，面部和证件文字都要清晰完整。",
           "Hold the front of your ID card below your face, facing the camera: both your face and the card's text "
           "clear and whole."),
      source="操作指引（三）：线上实名认证须上传手持证件人像面照片", tag="likely",
      when=lambda ctx: any(slot.path[-1] == "id_handheld" for slot, _, _ in _slots(ctx)), per_slot=True)
def handheld(ctx: Context):
    """The handheld photo shows a face, besides the small portrait printed on the card (a face
    at least documents.handheld.min_face_to_card times the height of the card's text block),
    and an ID card whose text is read. The face part needs the extra tjcheck[face]; without it
    only the card is judged."""
    from ..imaging import face

    spec = ctx.rs["documents"]["handheld"]
    for slot, info, _takes in _slots(ctx):
        if slot.path[-1] != "id_handheld":
            continue
        kind = _kind(ctx, info)
        card_lines = [line for line in _page(ctx, info).lines if doctext.id_numbers([line.text]) or
                      any(w in doctext.normalise(line.text) for w in ("姓名", "性别", "出生", "住址", "公民身份号码"))]
        if kind is None or kind.name != "id_front":
            yield doc_hit(slot, info, what=("中未能读出身份证人像面的文字", "shows no ID card front whose text could "
                                             "be read"), hedge=HEDGE)
        try:
            image = _reading(ctx, info)[0]        # the card's lines are measured on it
            analysis = face.analyser(ctx.rs["face"]["min_detection_score"]).analyse(image)
        except face.FaceBackendMissing:
            continue
        faces, scale = analysis.faces, image.size[0] / analysis.rgb.shape[1]
        block = 0.0
        if card_lines:
            ys = [y for line in card_lines for _, y in line.box]
            block = (max(ys) - min(ys)) / scale       # in the analysis image's pixels
        holder = [b for b in faces if (b.y1 - b.y0) >= spec["min_face_to_card"] * block]
        if not holder:
            yield doc_hit(slot, info, what=("中未检测到本人面部" + ("（只找到证件上的照片）" if faces else ""),
                                             "shows no face of the holder" + (" (only the card's portrait)" if faces
                                                                              else "")), hedge=HEDGE)


TURN_WORDS = {180: ("上下颠倒（需旋转 180°）", "upside down (turn it 180°)"),
              90: ("横放，文字是竖的（需逆时针旋转 90°）", "sideways, its text running down the page (turn it 90° "
                   "counter-clockwise)"),
              270: ("横放，文字是竖的（需顺时针旋转 90°）", "sideways, its text running up the page (turn it 90° "
                    "clockwise)")}


@rule("DC014", step=(3, 5, 6, 7, 10), severity=WARNING, title=("证件图片方向端正", "Documents upright"),
      message=("{slot}：{name} {what}，审核人员看到的证件方向不正，请转正后重新上传",
               "{slot}: {name} is {what}: the reviewer would see it turned; turn it upright and upload it again"),
      fix=("用看图软件把图片转正（文字横排、正立）后另存，再上传；手机拍照时竖持手机、证件朝上。",
           "Turn the image upright in any image viewer (text level and the right way up), save it and upload "
           "that; photograph documents with the phone held upright."),
      source=DOC_SOURCE + "（证明材料不清晰）；阈值见规则集 documents.orientation", tag="likely",
      when=_has_documents, per_slot=True)
def upright_documents(ctx: Context):
    """A document the reviewer would see upside down or sideways: it reads as garbage as shown
    and a document is recognised on it turned by 180, 90 or 270 degrees, or most of its text
    lies in boxes taller than wide (tjcheck/documents/orientation.py; limits in
    documents.orientation). The other rules check what the turned page says."""
    for slot, info, _takes in _slots(ctx):
        turn = _reading(ctx, info)[2]
        if turn:
            zh, en = TURN_WORDS[turn]
            yield doc_hit(slot, info, what=(zh, en))
