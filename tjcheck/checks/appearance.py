"""Step 5: what the photo shows (face analysis; needs the optional extra tjcheck[face]).

The reasons run as a cascade: the face count first, then the pose of the one face,
so a photo is not given reasons it does not have. Every finding says what was
measured against which limit; a measure close to its limit is a warning asking the
person to look, never a guessed error.
"""
from __future__ import annotations

from .base import ERROR, WARNING, Context, Skip, hit, rule
from .files import usable

PHOTO_RULE = "操作指引（五）：模糊、刘海遮眉、非正面、戴眼镜、戴帽子等照片不允许上传"
INSTALL = ("未安装人脸分析组件，请运行 pip install 'tjcheck[face]'", "the face analysis component is not "
           "installed: pip install 'tjcheck[face]'")


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
        yield hit(("basic", "photo"), problem=problem)


@rule("FA002", step=5, severity=ERROR, title=("头部正对镜头", "Head facing the camera"),
      message=("{what} {value:.0f}°，上限 {limit}°{hedge}", "{what} {value:.0f}°, limit {limit}°{hedge}"),
      fix=("正对镜头、头部不偏不歪，重新拍摄。", "Retake it facing the camera, head straight."),
      source=PHOTO_RULE + "（非正面）；限值见规则集 face.yaw_limit / roll_limit", tag="likely", when=_has_photo)
def frontal(ctx: Context):
    """Yaw (turned left/right) and roll (tilted) of the one face, from the face mesh's 3-D
    landmarks, against the ruleset's limits. Above the near_fraction of a limit the
    finding is a warning asking the person to look. Pitch is not judged yet: the mesh's
    pitch reads about 25° on good photos."""
    a = _analysis(ctx)
    if len(a.faces) != 1 or not a.mesh_found:
        return   # FA001 speaks, or the mesh could not place the face
    f = ctx.rs["face"]
    for value, limit, what in ((a.yaw, f["yaw_limit"], ("偏转", "turned")),
                               (a.roll, f["roll_limit"], ("歪头", "tilted"))):
        if abs(value) > limit:
            yield hit(("basic", "photo"), what=what, value=abs(value), limit=limit, hedge=("", ""))
        elif abs(value) > f["near_fraction"] * limit:
            yield hit(("basic", "photo"), severity=WARNING, what=what, value=abs(value), limit=limit,
                      hedge=("：可能未正对镜头，请人工确认", ": may not face the camera, please look"))
