"""Step 5: what the photo shows (face analysis; needs the optional extra tjcheck[face]).

The reasons run as a cascade: the face count first, then the pose of the one face,
then everything else on one frontal face, so a photo is not given reasons it does not
have. Every finding says what was measured against which limit; a measure between
its warning and error limits is a warning asking the person to look, never a guessed
error. Limits live in the ruleset (``face:``), each as ``{warn: x, error: y}``.
"""
from __future__ import annotations

from ..report import Severity
from .base import ERROR, WARNING, Context, Skip, hit, rule
from .files import usable

PHOTO_RULE = "操作指引（五）：模糊、刘海遮眉、非正面、戴眼镜、戴帽子等照片不允许上传"
INSTALL = ("未安装人脸分析组件，请运行 pip install 'tjcheck[face]'", "the face analysis component is not "
           "installed: pip install 'tjcheck[face]'")
HEDGE = ("，请人工确认", "; please look")
PHOTO = ("basic", "photo")


def _photo(ctx: Context):
    """The decoded photo, if there is exactly one readable JPEG (else the file rules speak)."""
    photos = [(slot, info) for slot, info in usable(ctx, "photo") if info.image is not None]
    return photos[0] if len(photos) == 1 else None


def _analysis(ctx: Context):
    """The photo's face analysis, computed once per run."""
    from ..imaging.face import FaceBackendMissing, analyser

    def compute():
        _, info = _photo(ctx)
        try:
            return analyser(ctx.rs["face"]["min_detection_score"]).analyse(info.image)
        except FaceBackendMissing:
            raise Skip(*INSTALL) from None

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
    placed by the mesh, and no pose *error* (a pose warning still lets them run)."""
    a = _analysis(ctx)
    if len(a.faces) != 1 or not a.mesh_found:
        return None
    if any(sev is ERROR for *_, sev in _pose(ctx, a)):
        return None
    return a


@rule("FA001", step=5, severity=ERROR, title=("照片中恰好一张人脸", "Exactly one face"),
      message=("{problem}", "{problem}"),
      fix=("使用只有本人、正面免冠的证件照。", "Use an ID photo of yourself alone, facing the camera."),
      source=PHOTO_RULE + "；标准证件照只含本人", tag="firm", when=_has_photo)
def one_face(ctx: Context):
    """A standard ID photo shows one face. Detector models 0 (short range) and 1 (full
    range) run together and their boxes are merged, since each alone misses faces the
    other finds; a face counts from the ruleset's detection score."""
    faces = _analysis(ctx).faces
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
