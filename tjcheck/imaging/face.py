"""Face analysis backend: mediapipe's legacy solutions, offline, on the CPU.

The models ship inside the mediapipe wheel (optional extra ``tjcheck[face]``), so nothing
is downloaded. mediapipe is imported when the first photo is analysed, and its graphs are
built once per process (``analyser()``) and reused for every photo after that.

Measured so far (issue 3 adds glasses, hat, fringe, blur, background, geometry):
- faces: detector model 0 (short range) and model 1 (full range) together, merged by
  overlap — each alone misses faces the other finds (shared/photos/FEASIBILITY.md);
- pose of the single face: yaw and roll from the 478-point mesh's own 3-D landmarks.
  Pitch from the mesh is not used: good photos read about 25° (FEASIBILITY.md).
"""
from __future__ import annotations

import math
import os
import sys
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

ANALYSIS_SIZE = 800   # photos are analysed at most this large: detection needs no more
# The mediapipe release the photo measures were made with (pyproject's face extra pins it) and
# the last Python it has wheels for: later releases (0.10.30+, the only ones for Python 3.13+)
# ship no legacy ``solutions`` and no face models.
MEDIAPIPE = "0.10.14"
LAST_FACE_PYTHON = (3, 12)


@contextmanager
def _quiet_stderr():
    """mediapipe's C++ layers (TFLite, absl) log to file descriptor 2; keep that off the report."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class FaceBackendMissing(RuntimeError):
    """mediapipe (with its face models) is not installed: face checks are reported as skipped,
    never as passed, with ``install_hint()``."""


def _installed_mediapipe() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mediapipe")
    except PackageNotFoundError:
        return None


def install_hint(python: tuple[int, int] | None = None, installed: str | None = None) -> tuple[str, str]:
    """(zh, en): what to run so that the face checks run, for this Python (``python``) and the
    mediapipe installed (``installed``; both looked up when not given). The one place this is
    said: the skipped checks and ``tjcheck fix`` show it, the README's install section explains it.
    Double quotes, so the command works in Windows' cmd and PowerShell as in a Unix shell."""
    python = python or sys.version_info[:2]
    if python > LAST_FACE_PYTHON:
        v = "%d.%d" % python
        last = "%d.%d" % LAST_FACE_PYTHON
        uv = f'uv tool install --python {last} "tjcheck[face]"'
        # pipx takes "3.12" as python3.12 on macOS and Linux and through the py launcher on Windows
        pipx = f'pipx install --python {last} "tjcheck[face]"'
        return (f"当前 Python {v} 没有人脸模型（mediapipe 只支持到 {last}）：请用 {uv} 或 {pipx} 安装"
                "（见 README“安装”）",
                f"Python {v} has no face models (mediapipe supports up to {last}): install with {uv} "
                f"or {pipx} (README, Install)")
    installed = installed or _installed_mediapipe()
    if installed and installed != MEDIAPIPE:
        return (f"已安装的 mediapipe {installed} 不含人脸模型，请运行 pip install \"mediapipe=={MEDIAPIPE}\"",
                f"the installed mediapipe {installed} has no face models: pip install \"mediapipe=={MEDIAPIPE}\"")
    return ('未安装人脸分析组件，请运行 pip install "tjcheck[face]"',
            'the face analysis component is not installed: pip install "tjcheck[face]"')


@dataclass
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    score: float

    def iou(self, other: "Box") -> float:
        ix = max(0.0, min(self.x1, other.x1) - max(self.x0, other.x0))
        iy = max(0.0, min(self.y1, other.y1) - max(self.y0, other.y0))
        inter = ix * iy
        union = (self.x1 - self.x0) * (self.y1 - self.y0) + (other.x1 - other.x0) * (other.y1 - other.y0) - inter
        return inter / union if union > 0 else 0.0


@dataclass
class FaceAnalysis:
    faces: list[Box] = field(default_factory=list)
    yaw: float | None = None     # degrees; sign says which way, the rules use the size
    roll: float | None = None    # degrees
    pitch: float | None = None   # degrees, raw (see _pose_from_array): the rules subtract the ruleset's offset
    mesh_found: bool = False
    rgb: object = None           # the analysed image (numpy HxWx3 uint8, at most ANALYSIS_SIZE)
    landmarks: object = None     # numpy 478x3 in pixels of ``rgb`` (z on the x scale), one face only
    person: object = None        # numpy HxW float 0..1: selfie segmentation (person vs background)


def _solutions():
    """mediapipe's face_detection, face_mesh and selfie_segmentation solution modules.

    ``import mediapipe`` costs ~0.75 s, most of it matplotlib (pulled in by the drawing
    helpers of ``mediapipe.solutions``) and the tasks API, none of which is used here.
    When mediapipe is not imported yet, its two package ``__init__`` files are replaced by
    bare package modules so that only the three solutions load (~0.15 s). If that ever
    fails (a future layout), the plain import is used.
    """
    import importlib
    import importlib.machinery
    import importlib.util
    import types

    names = ("face_detection", "face_mesh", "selfie_segmentation")
    if "mediapipe" not in sys.modules:
        spec = importlib.util.find_spec("mediapipe")
        if spec is None:
            raise FaceBackendMissing("No module named 'mediapipe'")
        root = spec.submodule_search_locations[0]
        for name, path in (("mediapipe", root), ("mediapipe.python.solutions", os.path.join(root, "python", "solutions"))):
            package = types.ModuleType(name)
            package.__path__, package.__package__ = [path], name
            # a spec of its own, so importlib.util.find_spec("mediapipe") still answers afterwards
            package.__spec__ = importlib.machinery.ModuleSpec(name, None, is_package=True)
            package.__spec__.submodule_search_locations = [path]
            sys.modules[name] = package
        try:
            return [importlib.import_module(f"mediapipe.python.solutions.{n}") for n in names]
        except ImportError:
            for name in [m for m in sys.modules if m == "mediapipe" or m.startswith("mediapipe.")]:
                del sys.modules[name]
    import mediapipe as mp

    try:
        return [getattr(mp.solutions, n) for n in names]
    except AttributeError:   # 0.10.30 and later: the tasks API only, no face models inside
        raise FaceBackendMissing(f"mediapipe {getattr(mp, '__version__', '?')} has no legacy solutions") from None


class Analyser:
    """The mediapipe graphs; get the shared one with ``analyser()``."""

    def __init__(self, min_score: float):
        self.min_score = min_score
        try:
            with _quiet_stderr():
                detection, face_mesh, segmentation = _solutions()
        except ImportError as exc:
            raise FaceBackendMissing(str(exc)) from None
        with _quiet_stderr():
            self.detectors = [detection.FaceDetection(model_selection=m, min_detection_confidence=min_score)
                              for m in (0, 1)]
            self.mesh = face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=True,
                                           max_num_faces=1, min_detection_confidence=0.3)
            self.segmenter = segmentation.SelfieSegmentation(model_selection=0)

    def analyse(self, image) -> FaceAnalysis:
        import numpy as np

        small = image if image.mode == "RGB" else image.convert("RGB")
        if max(small.size) > ANALYSIS_SIZE:
            # an integer box reduction (averaging, so no aliasing) is 5x faster than a bicubic
            # resize; the photo then measures between ANALYSIS_SIZE/2 and ANALYSIS_SIZE
            small = small.reduce(-(-max(small.size) // ANALYSIS_SIZE))
        rgb = np.asarray(small)
        with _quiet_stderr():
            return self._analyse(rgb)

    def _analyse(self, rgb) -> FaceAnalysis:
        faces = self._faces(rgb) or self._faces_in_tiles(rgb)
        result = FaceAnalysis(faces=faces, rgb=rgb)
        if len(faces) == 1:   # the cascade: the rest only for exactly one face
            lm = self._mesh(rgb, faces[0])
            if lm is not None:
                result.mesh_found, result.landmarks = True, lm
                result.yaw, result.roll, result.pitch = _pose_from_array(lm)
                result.person = self.segmenter.process(rgb).segmentation_mask
        return result

    def _faces(self, rgb, offset: tuple[int, int] = (0, 0)) -> list[Box]:
        """Both detectors' faces, merged; boxes in pixels of ``rgb`` plus ``offset``."""
        h, w = rgb.shape[:2]
        ox, oy = offset
        boxes = []
        for detector in self.detectors:
            for det in detector.process(rgb).detections or []:
                if det.score[0] < self.min_score:   # the graphs' own cut-off lets some lower scores through
                    continue
                bb = det.location_data.relative_bounding_box
                boxes.append(Box(ox + bb.xmin * w, oy + bb.ymin * h, ox + (bb.xmin + bb.width) * w,
                                 oy + (bb.ymin + bb.height) * h, det.score[0]))
        return _merge(boxes)

    def _faces_in_tiles(self, rgb) -> list[Box]:
        """Second look when nothing was found: the four overlapping quarter-and-a-bit tiles.
        Both detectors miss faces that fill only a small part of the frame (the photo on a
        scanned ID card, a small face in a wide shot); in a tile they are twice as large."""
        import numpy as np

        h, w = rgb.shape[:2]
        tw, th = w * 2 // 3, h * 2 // 3
        if min(tw, th) < 64:
            return []
        boxes = []
        for x0 in (0, w - tw):
            for y0 in (0, h - th):
                boxes += self._faces(np.ascontiguousarray(rgb[y0:y0 + th, x0:x0 + tw]), (x0, y0))
        return _merge(boxes)

    def _mesh(self, rgb, face: Box):
        """The 478 landmarks (pixels of ``rgb``) of the one face, or None. The mesh finds the
        face itself; a small face it misses is given again as a crop around the detector's box."""
        import numpy as np

        h, w = rgb.shape[:2]
        out = self.mesh.process(rgb)
        ox = oy = 0
        if not out.multi_face_landmarks and (face.x1 - face.x0) < 0.35 * w:
            size = 2.2 * max(face.x1 - face.x0, face.y1 - face.y0)
            cx, cy = (face.x0 + face.x1) / 2, (face.y0 + face.y1) / 2
            ox, oy = int(max(0, cx - size / 2)), int(max(0, cy - size / 2))
            rgb = np.ascontiguousarray(rgb[oy:int(min(h, cy + size / 2)), ox:int(min(w, cx + size / 2))])
            h, w = rgb.shape[:2]
            out = self.mesh.process(rgb)
        if not out.multi_face_landmarks:
            return None
        return np.array([(ox + p.x * w, oy + p.y * h, p.z * w) for p in out.multi_face_landmarks[0].landmark],
                        dtype=np.float32)


def _merge(boxes: list[Box]) -> list[Box]:
    """Non-maximum suppression: one box per face, across both models and across tiles."""
    kept: list[Box] = []
    for box in sorted(boxes, key=lambda b: -b.score):
        if all(box.iou(k) < 0.3 for k in kept):
            kept.append(box)
    return kept


def _pose_from_array(lm) -> tuple[float, float, float]:
    """Yaw, roll and pitch in degrees from the 478x3 landmarks (pixels, z on the x scale).

    Yaw from the outer eye corners' (33, 263) depth difference, roll from their height
    difference; pitch from the forehead-to-chin line (10 to 152) in depth. The mesh's
    pitch is rough: frontal studio photos read -10..+28 degrees, so the rules subtract
    an offset and use a wide limit (FEASIBILITY.md found the same)."""
    (rx, ry, rz), (lx, ly, lz) = lm[33], lm[263]
    dx, dy, dz = lx - rx, ly - ry, lz - rz
    (_, ty, tz), (_, by, bz) = lm[10], lm[152]
    return (math.degrees(math.atan2(dz, math.hypot(dx, dy))), math.degrees(math.atan2(dy, dx)),
            math.degrees(math.atan2(bz - tz, by - ty)))


@lru_cache(maxsize=2)
def analyser(min_score: float) -> Analyser:
    """One set of graphs per process (per detection threshold)."""
    return Analyser(min_score)
