"""Step 5: what the photo shows (face analysis; needs the optional extra tjcheck[face]).

The reasons run as a cascade: the face count first, then the pose of the one face,
then everything else on one face that faces the camera (a tilt is undone by aligning
the eyes, a turn is not), so a photo is not given reasons it does not have. Every finding says what was measured against which limit; a measure between
its warning and error limits is a warning asking the person to look, never a guessed
error. Limits live in the ruleset (``face:``), each as ``{warn: x, error: y}``.
"""
from __future__ import annotations

from ..report import Severity
from .base import ERROR, INFO, WARNING, Context, Skip, hit, rule
from .files import usable

PHOTO_RULE = "操作指引（五）：模糊、刘海遮眉、非正面、戴眼镜、戴帽子等照片不允许上传"
HEDGE = ("，请人工确认", "; please look")
PHOTO = ("basic", "photo")


def _photo(ctx: Context):
    """The decoded photo, if there is exactly one readable JPEG (else the file rules speak)."""
    photos = [(slot, info) for slot, info in usable(ctx, "photo") if info.image is not None]
    return photos[0] if len(photos) == 1 else None


def _analysis(ctx: Context):
    """The photo's face analysis, computed once per run."""
    from ..imaging import face

    def compute():
        _, info = _photo(ctx)
        try:
            return face.analyser(ctx.rs["face"]["min_detection_score"]).analyse(info.image)
        except face.FaceBackendMissing:
            raise Skip(*face.install_hint()) from None

    return ctx.memo("face", compute)


def _has_photo(ctx: Context) -> bool:
    return _photo(ctx) is not None


def grade(value: float, limits: dict) -> Severity | None:
    """ERROR past ``error``, WARNING past ``warn``, else None. When ``error`` is below
    ``warn`` the measure is bad when low (say, lightness), otherwise when high."""
    err, warn = limits["error"], limits["warn"]
    if err >= warn:
        return ERROR if value > err else WARNING if value > warn else None
    return ERROR if value < err else WARNING if value < warn else None


def _pose(ctx: Context, a) -> list[tuple[str, float, float, Severity]]:
    """(which, size in degrees, limit, severity) for each pose angle past its warning limit."""
    f = ctx.rs["face"]["pose"]
    found = []
    for name, value in (("yaw", a.yaw), ("roll", a.roll), ("pitch", a.pitch - f["pitch_offset"])):
        severity = grade(abs(value), f[name])
        if severity:
            found.append((name, abs(value), f[name]["error"], severity))
    return found


def frontal_face(ctx: Context):
    """The analysis when the cascade lets the appearance reasons speak: exactly one face,
    placed by the mesh, turned no more than ``face.measurable_yaw`` and not nodding past
    the pitch limit. The measures align the face on its eyes, which undoes a tilt (roll)
    exactly and tolerates a turn while both eyes and brows are in view (the studies found
    them sound to ~30 degrees and misleading on profiles), so a photo turned 25 degrees
    with a cap is told both; a profile is told only that it is not frontal."""
    a = _analysis(ctx)
    if len(a.faces) != 1 or not a.mesh_found:
        return None
    if abs(a.yaw) > ctx.rs["face"]["measurable_yaw"] or any(
            name == "pitch" and sev is ERROR for name, _, _, sev in _pose(ctx, a)):
        return None
    return a


@rule("FA001", step=5, severity=ERROR, title=("照片中恰好一张人脸", "Exactly one face"),
      message=("{problem}", "{problem}"),
      fix=("使用只有本人、正面免冠的证件照。", "Use an ID photo of yourself alone, facing the camera."),
      source=PHOTO_RULE + "；标准证件照只含本人", tag="firm", when=_has_photo)
def one_face(ctx: Context):
    """A standard ID photo shows one face. Detector models 0 (short range) and 1 (full
    range) run together and their boxes are merged, since each alone misses faces the
    other finds; a face counts from the ruleset's detection score. A photo so blurred
    that no face is found is told so by FA008 instead."""
    faces = _analysis(ctx).faces
    whole = _whole_image_blur(ctx)
    if whole is not None and whole[1] is ERROR:
        return
    if len(faces) != 1:
        problem = ("未检测到人脸", "no face was found") if not faces else \
            (f"检测到 {len(faces)} 张人脸，须恰好 1 张", f"{len(faces)} faces were found; exactly one is needed")
        yield hit(PHOTO, problem=problem)


POSE_WORDS = {"yaw": ("左右偏转", "turned sideways"), "roll": ("歪头", "tilted"), "pitch": ("抬头或低头", "nodding up or down")}


@rule("FA002", step=5, severity=ERROR, title=("头部正对镜头", "Head facing the camera"),
      message=("{what}{value}{hedge}", "{what}{value}{hedge}"),
      fix=("正对镜头、头部不偏不歪，重新拍摄。", "Retake it facing the camera, head straight."),
      source=PHOTO_RULE + "（非正面）；限值见规则集 face.pose", tag="likely", when=_has_photo)
def frontal(ctx: Context):
    """Yaw (turned sideways), roll (tilted) and pitch (nodding) of the one face, from the
    face mesh's 3-D landmarks, against the ruleset's limits. The mesh's pitch is rough
    (frontal studio photos read -15..+23 degrees after the offset), so its limit is wide
    and only a strong nod is caught. When a face is detected but the mesh cannot place
    its features (a profile, the back of a head), the finding is a warning to look."""
    a = _analysis(ctx)
    if len(a.faces) != 1:
        return   # FA001 speaks
    if not a.mesh_found:
        if _whole_image_blur(ctx)[1] is ERROR:
            return   # too blurred to place the features: FA008 speaks
        yield hit(PHOTO, severity=WARNING, what=("检测到人脸但无法定位五官", "a face was found but its features "
                                                 "could not be placed"), value=("", ""),
                  hedge=("：可能是侧脸或有遮挡" + HEDGE[0], ": it may be a side view or covered" + HEDGE[1]))
        return
    for name, value, limit, severity in _pose(ctx, a):
        zh, en = POSE_WORDS[name]
        yield hit(PHOTO, severity=severity, what=(zh, en), value=(f" {value:.0f}°，上限 {limit}°", f" {value:.0f}°, "
                                                                f"limit {limit}°"),
                  hedge=("：可能未正对镜头" + HEDGE[0], ": may not face the camera" + HEDGE[1])
                  if severity is WARNING else ("", ""))


def _measured(ctx: Context, name: str, compute):
    """A measure module's result for the one frontal face, computed once per run."""
    return ctx.memo(f"face.{name}", lambda: compute(frontal_face(ctx)))


def _frontal(ctx: Context) -> bool:
    return _has_photo(ctx) and frontal_face(ctx) is not None


def _look(hedge: tuple[str, str]) -> tuple[str, str]:
    """The words a warning ends with: what it may be, and the request to look."""
    return f"（{hedge[0]}{HEDGE[0]}）", f" ({hedge[1]}{HEDGE[1]})"


def _limit_hit(value: float, limits: dict, shown, hedge: tuple[str, str], what: tuple[str, str] | None = None):
    """A hit for a measure past its warning limit: what was measured, the limit, and for a
    warning the request to look. ``shown`` formats a value for the message; ``what`` names
    the measure when the rule's message leaves it open."""
    severity = grade(value, limits)
    if severity is None:
        return None
    bound = ("上限", "limit") if limits["error"] >= limits["warn"] else ("下限", "minimum")
    params = {"what": what} if what else {}
    return hit(PHOTO, severity=severity, value=shown(value), limit=shown(limits["error"]), bound=bound,
               hedge=_look(hedge) if severity is WARNING else ("", ""), **params)


LIMIT_MESSAGE = ("{what} {value}，{bound} {limit}{hedge}", "{what} {value}, {bound} {limit}{hedge}")


def _eyes(ctx: Context):
    from ..imaging.eyes import eyes_open_measures
    return _measured(ctx, "eyes", eyes_open_measures)


def _glasses(ctx: Context):
    from ..imaging.eyes import glasses_measures
    return _measured(ctx, "glasses", glasses_measures)


def _ratio(v: float) -> str:
    return f"{v:.2f}"


def _percent(v: float) -> str:
    return f"{v * 100:.0f}%"


@rule("FA003", step=5, severity=ERROR, title=("睁眼", "Eyes open"),
      message=(LIMIT_MESSAGE[0].replace("{what}", "眼睛睁开程度（眼裂高/眼宽）"),
               LIMIT_MESSAGE[1].replace("{what}", "eye opening (lid gap / eye width)")),
      fix=("睁开双眼、目视镜头，重新拍摄。", "Retake it with both eyes open, looking at the camera."),
      source="标准证件照要求双眼自然睁开（操作指引所列不合格情形以“等”结尾）；限值见规则集 face.eyes_open",
      tag="likely", when=_frontal)
def eyes_open(ctx: Context):
    """The narrower eye's opening: the face mesh's eyelid gap over the eye's width (eye
    aspect ratio). Open eyes read 0.2-0.4 and good photos at least 0.21; closed lids
    read about 0.08 (the mesh never quite closes them). Looking down also lowers it, so
    between the limits it is a warning to look (bench/study_eyes.py)."""
    found = _limit_hit(_eyes(ctx).opening_min, ctx.rs["face"]["eyes_open"], _ratio, ("可能闭眼", "eyes may be closed"))
    if found:
        yield found


def _detected(ctx: Context) -> dict[str, float]:
    """Each learned detector's calibrated probability for the one frontal face (glasses,
    tinted, hat, fringe), computed once per run from the measures the rules already took."""
    from ..imaging import learned

    def compute(a):
        try:
            return learned.probabilities(a, (_glasses(ctx), _hair(ctx), _eyes(ctx)))
        except learned.ModelMissing as exc:
            raise Skip(f"检测模型文件缺失或损坏（{exc}）：请重新安装 tjcheck", f"the detector model is missing or "
                       f"broken ({exc}): reinstall tjcheck") from None
    return _measured(ctx, "detectors", compute)


DETECTOR_WORDS = {
    "glasses": (("眼镜置信度", "glasses confidence"), ("可能戴眼镜", "glasses likely")),
    "tinted": (("墨镜或有色镜片置信度", "sunglasses or tinted lenses confidence"),
               ("可能戴墨镜或有色镜片", "sunglasses or tinted lenses likely")),
    "hat": (("帽子或头巾置信度", "hat or head covering confidence"), ("可能戴帽子、头巾或头饰",
                                                                  "may be a hat, headscarf or hair ornament")),
    "fringe": (("刘海遮眉置信度", "fringe over the brows confidence"), ("可能有刘海遮眉",
                                                                  "a fringe may cover the brows")),
}
DETECTOR_MESSAGE = ("{what} {value}，{bound} {limit}{hedge}", "{what} {value}, {bound} {limit}{hedge}")


def _detector_severity(ctx: Context, name: str) -> Severity | None:
    return grade(_detected(ctx)[name], ctx.rs["face"]["detectors"][name])


def _detector_hit(ctx: Context, name: str):
    """A hit when detector ``name``'s probability passes its warning threshold: the
    probability against the threshold it passed (an error's; or a warning's, with the error
    threshold and the request to look). None below the warning threshold."""
    value, limits = _detected(ctx)[name], ctx.rs["face"]["detectors"][name]
    severity = grade(value, limits)
    if severity is None:
        return None
    what, hedge = DETECTOR_WORDS[name]
    warn, error = f"{limits['warn']:.3f}", f"{limits['error']:.3f}"
    if severity is ERROR:
        bound, limit, hedge = ("判定阈值", "threshold"), error, ("", "")
    else:   # both thresholds: why a high probability is still only a warning
        bound, limit, hedge = ("提醒阈值", "warning threshold"), (f"{warn}，判定阈值 {error}",
                                                                 f"{warn}, error threshold {error}"), _look(hedge)
    return hit(PHOTO, severity=severity, what=what, value=f"{value:.3f}", bound=bound, limit=limit, hedge=hedge)


DETECTOR_SOURCE = "；学习所得检测器（tjcheck/models/photo_attributes.md），阈值见规则集 face.detectors"


@rule("FA004", step=5, severity=ERROR, title=("未戴眼镜", "No glasses"), message=DETECTOR_MESSAGE,
      fix=("摘下眼镜重新拍摄（天津要求照片不戴眼镜）。", "Take your glasses off and retake the photo (Tianjin "
           "refuses photos with glasses)."),
      source=PHOTO_RULE + "（戴眼镜）" + DETECTOR_SOURCE + ".glasses", tag="firm", when=_frontal)
def no_glasses(ctx: Context):
    """A learned detector (clear or tinted glasses) on the face aligned on the irises:
    gradients, skin-relative colour and the hand measures of imaging/eyes.py (a frame's
    bridge line across the nose, the tint under the lids) as features. When FA005 is sure
    the lenses are tinted it speaks alone; a face too dark to judge is FA009's."""
    if _too_dark_to_judge(ctx) or _detector_severity(ctx, "tinted") is ERROR:
        return
    found = _detector_hit(ctx, "glasses")
    if found:
        yield found


@rule("FA005", step=5, severity=ERROR, title=("未戴墨镜或有色镜片", "No sunglasses or tinted lenses"),
      message=DETECTOR_MESSAGE,
      fix=("摘下墨镜或眼镜重新拍摄。", "Take the sunglasses or glasses off and retake the photo."),
      source=PHOTO_RULE + "（戴眼镜）" + DETECTOR_SOURCE + ".tinted", tag="firm", when=_frontal)
def no_sunglasses(ctx: Context):
    """A learned detector of sunglasses and tinted lenses (features as FA004's). A face too
    dark to judge is left to FA009."""
    if _too_dark_to_judge(ctx):
        return
    found = _detector_hit(ctx, "tinted")
    if found:
        yield found


def _quality(ctx: Context):
    from ..imaging.quality import exposure, face_sharpness

    return _measured(ctx, "quality", lambda a: (face_sharpness(a), exposure(a)))


def _whole_image_blur(ctx: Context):
    """(sharpness, severity) of the whole photo when no face was found or the one face
    could not be placed by the mesh (both happen to heavily blurred photos), else None."""
    a = _analysis(ctx)
    if len(a.faces) > 1 or a.mesh_found:
        return None

    def compute():
        from ..imaging.quality import image_sharpness

        value = image_sharpness(a)
        return value, grade(value, ctx.rs["face"]["image_blur"])
    return ctx.memo("face.image_blur", compute)


def _too_dark_to_judge(ctx: Context) -> bool:
    """An under-exposed photo (dark face *and* nothing bright anywhere) hides edges and
    tints in noise: FA009 speaks, and blur and lenses are not judged. A dark face in a
    bright photo (dark skin, a black mask over the cheeks) is still judged."""
    _, exp = _quality(ctx)
    limits = ctx.rs["face"]["exposure"]
    return exp is not None and grade(exp.skin_l, limits["face_lightness"]) is not None \
        and grade(exp.image_l_p99, limits["photo_brightest"]) is not None


@rule("FA008", step=5, severity=ERROR, title=("照片清晰", "Photo sharp"),
      message=("{what} {value}，下限 {limit}{hedge}", "{what} {value}, minimum {limit}{hedge}"),
      fix=("对准面部重新拍摄，保持相机和头部不动，不要放大或翻拍照片。", "Retake it in focus, holding the camera and "
           "your head still; do not enlarge or re-photograph a photo."),
      source=PHOTO_RULE + "（模糊）；限值见规则集 face.blur / face.image_blur", tag="firm", when=_has_photo)
def sharp(ctx: Context):
    """Edge sharpness of the face: at the strongest edges (eyes, brows, nostrils, lips,
    jaw) the steepest one-pixel step over the local range, with the face shrunk to 64 px
    between the irises (never enlarged: enlarging invents blur). Contrast and skin
    texture cancel out. Good photos read 0.33-0.52, blurred ones 0.22-0.30. When no
    face is found at all, the whole photo is measured, and a heavily blurred photo is
    told "blurred" instead of only "no face" (bench/study_quality.py)."""
    whole = _whole_image_blur(ctx)
    if whole is not None:
        value, severity = whole
        if severity:
            yield hit(PHOTO, severity=severity, what=("整张照片清晰度", "sharpness of the whole photo"),
                      value=f"{value:.2f}", limit=f"{ctx.rs['face']['image_blur']['error']:.2f}",
                      hedge=("（照片模糊，因此无法检测人脸）", " (too blurred to check the face)")
                      if severity is ERROR else ("（可能模糊" + HEDGE[0] + "）", " (may be blurred" + HEDGE[1] + ")"))
        return
    if frontal_face(ctx) is None or _too_dark_to_judge(ctx):
        return
    value, _ = _quality(ctx)
    if value != value:   # NaN: no edges to judge, never a pass by default
        return
    found = _limit_hit(value, ctx.rs["face"]["blur"], _ratio, ("可能模糊", "may be blurred"),
                       ("面部清晰度", "face sharpness"))
    if found:
        yield found


EXPOSURE_WORDS = {
    "face_lightness": (("面部亮度 L*", "face lightness L*"), ("曝光不足或面部过暗", "under-exposed or face too dark"),
                       lambda v: f"{v:.0f}"),
    "photo_brightest": (("照片最亮处亮度 L*", "lightness of the photo's brightest part, L*"), ("曝光不足",
                        "under-exposed"), lambda v: f"{v:.0f}"),
    "burnt_out": (("面部过曝（纯白）面积", "burnt-out (pure white) face skin"), ("面部过曝", "face over-exposed"),
                  _percent),
    "side_light": (("左右脸亮度差 L*", "lightness difference between the cheeks, L*"), ("光线不均（阴阳脸）",
                   "uneven light on the face"), lambda v: f"{v:.0f}"),
}


@rule("FA009", step=5, severity=ERROR, title=("面部曝光正常", "Face well exposed"),
      message=(LIMIT_MESSAGE[0], LIMIT_MESSAGE[1]),
      fix=("在均匀、充足的正面光线下重新拍摄，避免逆光、侧光和过曝。", "Retake it in even, bright light from the "
           "front; avoid back light, side light and over-exposure."),
      source="标准证件照要求光线均匀、面部清晰（操作指引所列不合格情形以“等”结尾）；限值见规则集 face.exposure",
      tag="likely", when=_frontal)
def exposed(ctx: Context):
    """Lightness of the face skin (discs on both cheeks and the nose bridge, CIE L*), the
    brightest part of the photo (a dark face beside a white background is a dark-skinned
    person, a dark face in a dark photo is under-exposure), skin burnt out to pure white,
    and the difference between the cheeks (light from one side). Good photos read skin
    L* 27-87, photo 99th percentile at least 64, no burnt skin, cheeks within 29."""
    _, exp = _quality(ctx)
    if exp is None:
        return
    limits = ctx.rs["face"]["exposure"]
    values = {"face_lightness": exp.skin_l, "photo_brightest": exp.image_l_p99, "burnt_out": exp.clipped_high,
              "side_light": exp.side_diff}
    for name, value in values.items():
        what, hedge, shown = EXPOSURE_WORDS[name]
        found = _limit_hit(value, limits[name], shown, hedge, what)
        if found:
            yield found


def _background(ctx: Context):
    from ..imaging.framing import background, background_kind

    def compute():
        a = _analysis(ctx)
        bg = background(a) if a.person is not None else None
        return bg, background_kind(bg, ctx.rs["face"]["background"])
    return ctx.memo("face.background", compute)


BACKGROUND_WORDS = {
    "light_grey": ("偏灰（白色背景拍得偏暗，或是灰色背景）", "is light grey (a white backdrop shot too dark, or a grey one)"),
    "light_blue": ("为浅蓝色", "is light blue"), "blue": ("为蓝色", "is blue"), "other": ("为彩色或深色", "is coloured or dark"),
    "not_plain": ("不是纯色（有杂物、纹理或渐变）", "is not plain (objects, texture or a gradient)"),
}


def _one_placed_face(ctx: Context) -> bool:
    if not _has_photo(ctx):
        return False
    a = _analysis(ctx)
    return len(a.faces) == 1 and a.mesh_found


@rule("PH007", step=5, severity=ERROR, title=("白色纯色背景", "Plain white background"),
      message=("背景{kind}（亮度 L* {lightness:.0f}，色度 {chroma:.0f}，不均匀度 {spread:.0f}），要求白色纯色背景{hedge}",
               "the background {kind} (lightness L* {lightness:.0f}, chroma {chroma:.0f}, unevenness {spread:.0f}); "
               "a plain white background is required{hedge}"),
      fix=("在白色纯色背景前重新拍摄（照相馆可换白底），不要自行修图换背景。", "Retake it in front of a plain white "
           "background (a photo studio can do this); do not edit the background yourself."),
      source="domain.md：考试报名照片工具只接受白色背景，浅蓝色有风险；限值见规则集 face.background", tag="likely",
      when=_one_placed_face)
def white_background(ctx: Context):
    """The background is what the person segmentation leaves, kept away from the person's
    outline and measured in CIE L*a*b*: plain (small spread and few edges), then a blue
    cast, then white (light and colourless). Light grey and light blue are warnings (a
    white backdrop shot too dark reads grey; light blue is a risk), other colours and
    busy backgrounds errors. Scored apart from the face reasons: many good studio
    portraits have grey or lavender backdrops (bench/study_quality.py)."""
    bg, kind = _background(ctx)
    severity = ctx.rs["face"]["background"]["severity"].get(kind)
    if bg is None or severity is None:
        return
    yield hit(PHOTO, severity=WARNING if severity == "warning" else ERROR, kind=BACKGROUND_WORDS[kind],
              lightness=bg.lightness, chroma=bg.chroma, spread=bg.spread,
              hedge=("，请人工确认" if severity == "warning" else "", "; please look" if severity == "warning" else ""))


def grade_range(value: float, limits: dict) -> Severity | None:
    """ERROR outside ``error`` [low, high], WARNING outside ``warn`` [low, high]; either may be absent."""
    for key, severity in (("error", ERROR), ("warn", WARNING)):
        low, high = limits.get(key) or (float("-inf"), float("inf"))
        if not low <= value <= high:
            return severity
    return None


GEOMETRY_WORDS = {
    "face_width": ("脸宽（两颊之间）占照片宽度", "face width (cheek to cheek), share of the photo width"),
    "top_margin": ("头顶到上边缘的距离占照片高度", "space above the head, share of the photo height"),
    "centre_offset": ("面部中线偏离照片中线，占照片宽度", "face off the photo's centre line, share of the width"),
    "eye_line": ("双眼高度（从上边缘量）占照片高度", "eye line from the top edge, share of the photo height"),
}


@rule("PH008", step=5, severity=ERROR, title=("头部大小和位置（一寸照）", "Head size and position (one-inch photo)"),
      message=("{what} {value}，应为 {expected}{hedge}", "{what} {value}, expected {expected}{hedge}"),
      fix=("按一寸证件照裁剪：头部居中，头顶略低于上边缘，脸部约占照片宽度的一半（照片四周有余量时 tjcheck fix 可代为裁剪）。",
           "Crop it as a one-inch ID photo: head centred, the top of the head a little below the top edge, the face "
           "about half the photo's width (with room around the head, tjcheck fix crops a copy)."),
      source="domain.md：一寸照 25×35 mm，按 GA 461 比例：头部居中、头顶略低于上边缘、眼睛在中线以上；限值见规则集 "
             "face.geometry", tag="likely", when=_frontal)
def head_geometry(ctx: Context):
    """Face width (cheek points 234-454) over the photo width, space above the head (the
    person segmentation's top above the forehead), horizontal centring (the nose line)
    and eye height, against tolerant one-inch limits. domain.md's 0.54-0.61 "face width"
    is the whole head with hair and ears, about 1.45 times the cheek width, so the
    cheek width is held to 0.30-0.60. Scored apart from the face reasons."""
    from ..imaging.framing import geometry

    geo = _measured(ctx, "geometry", geometry)
    if geo is None:
        return
    limits = ctx.rs["face"]["geometry"]
    values = {"face_width": geo.face_width, "top_margin": geo.top_margin,
              "centre_offset": abs(geo.centre_offset), "eye_line": geo.eye_line}
    for name, value in values.items():
        severity = grade_range(value, limits[name])
        if severity is None:
            continue
        low, high = limits[name]["warn"]
        expected = f"{_percent(low)}–{_percent(high)}" if low > 0 else f"≤ {_percent(high)}"
        yield hit(PHOTO, severity=severity, what=GEOMETRY_WORDS[name], value=_percent(value), expected=expected,
                  hedge=HEDGE if severity is WARNING else ("", ""))


def _hair(ctx: Context):
    from ..imaging.hair import hair_measures
    return _measured(ctx, "hair", hair_measures)


def _skin_sample_ok(ctx: Context) -> bool:
    """Hat and fringe are judged against skin sampled under the eyes and on the nose; when
    that sample's hue is not a skin hue (a face mask, a tinted print) they cannot be judged.
    A colourless sample (a grey photo) has no hue and is judged as it is."""
    m, limits = _hair(ctx), ctx.rs["face"]["skin_hue"]
    return m is not None and not (m.skin_hue < limits["min"] or m.skin_hue > limits["max"])


@rule("FA006", step=5, severity=ERROR, title=("未戴帽子或头巾", "No hat or head covering"),
      message=DETECTOR_MESSAGE,
      fix=("摘下帽子、头巾和头饰，露出额头和头发后重新拍摄。", "Take off the hat, headscarf or hair ornament and retake "
           "the photo with the forehead and hair showing."),
      source=PHOTO_RULE + "（戴帽子）；头巾也算" + DETECTOR_SOURCE + ".hat", tag="firm", when=_frontal)
def no_hat(ctx: Context):
    """A learned detector of hats, caps, headscarves and veils on the face aligned on the
    irises: gradients (brims, bands), colour relative to the face's own skin above the
    forehead and beside the cheeks, the person and skin masks, and the hand measures of
    imaging/hair.py. When the skin sample is not skin (a face mask, a colour cast), nothing
    relative to it can be judged: an info finding says so."""
    if _hair(ctx) is not None and not _skin_sample_ok(ctx):
        yield hit(PHOTO, severity=INFO, what=("眼下皮肤取样的色相", "hue of the skin sampled under the eyes"),
                  value=f"{_hair(ctx).skin_hue:.0f}°", bound=("不在皮肤范围", "outside skin hues"),
                  limit=f"{ctx.rs['face']['skin_hue']['min']}°…{ctx.rs['face']['skin_hue']['max']}°",
                  hedge=("（戴口罩或偏色？未判断帽子和刘海，请人工确认）", " (a mask or a colour cast? hat and fringe "
                                                            "not judged; please look)"))
        return
    found = _detector_hit(ctx, "hat")
    if found:
        yield found


@rule("FA007", step=5, severity=ERROR, title=("刘海未遮挡眉毛", "Fringe not covering the eyebrows"),
      message=DETECTOR_MESSAGE,
      fix=("把刘海梳起或别到两侧，露出双眉后重新拍摄。", "Comb or pin the fringe back so both eyebrows show, and "
           "retake the photo."),
      source=PHOTO_RULE + "（刘海遮眉）" + DETECTOR_SOURCE + ".fringe", tag="firm", when=_frontal)
def brows_visible(ctx: Context):
    """A learned detector of hair over the eyebrows (features as FA006's, with the share of
    the band above each brow that is not skin). The face mesh places brow landmarks even
    under hair, so the evidence is the pixels, not the landmarks. A covering FA006 is sure
    is a hat is not also called a fringe."""
    if _hair(ctx) is None or not _skin_sample_ok(ctx) or _detector_severity(ctx, "hat") is ERROR:
        return
    found = _detector_hit(ctx, "fringe")
    if found:
        yield found
