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
    """mediapipe is not installed: face checks are reported as skipped, never as passed."""


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
    mesh_found: bool = False


class Analyser:
    """The mediapipe graphs; get the shared one with ``analyser()``."""

    def __init__(self, min_score: float):
        try:
            with _quiet_stderr():
                import mediapipe as mp
        except ImportError as exc:
            raise FaceBackendMissing(str(exc)) from None
        detection = mp.solutions.face_detection
        with _quiet_stderr():
            self.detectors = [detection.FaceDetection(model_selection=m, min_detection_confidence=min_score)
                              for m in (0, 1)]
            self.mesh = mp.solutions.face_mesh.FaceMesh(static_image_mode=True, refine_landmarks=True,
                                                        max_num_faces=1, min_detection_confidence=0.3)

    def analyse(self, image) -> FaceAnalysis:
        import numpy as np

        small = image.convert("RGB")
        if max(small.size) > ANALYSIS_SIZE:
            small = small.copy()
            small.thumbnail((ANALYSIS_SIZE, ANALYSIS_SIZE))
        rgb = np.asarray(small)
        h, w = rgb.shape[:2]
        with _quiet_stderr():
            return self._analyse(rgb, w, h)

    def _analyse(self, rgb, w: int, h: int) -> FaceAnalysis:
        result = FaceAnalysis(faces=self._faces(rgb, w, h))
        if len(result.faces) == 1:   # the cascade: pose only for exactly one face
            out = self.mesh.process(rgb)
            if out.multi_face_landmarks:
                result.mesh_found = True
                result.yaw, result.roll = _pose(out.multi_face_landmarks[0].landmark, w, h)
        return result

    def _faces(self, rgb, w: int, h: int) -> list[Box]:
        boxes = []
        for detector in self.detectors:
            for det in detector.process(rgb).detections or []:
                bb = det.location_data.relative_bounding_box
                boxes.append(Box(bb.xmin * w, bb.ymin * h, (bb.xmin + bb.width) * w, (bb.ymin + bb.height) * h,
                                 det.score[0]))
        kept: list[Box] = []   # non-maximum suppression across both models
        for box in sorted(boxes, key=lambda b: -b.score):
            if all(box.iou(k) < 0.3 for k in kept):
                kept.append(box)
        return kept


def _pose(lm, w: int, h: int) -> tuple[float, float]:
    """Yaw from the outer eye corners' depth difference, roll from their height difference."""
    right, left = lm[33], lm[263]          # outer corners of the person's right and left eye
    dx, dy = (left.x - right.x) * w, (left.y - right.y) * h
    dz = (left.z - right.z) * w            # the mesh's z has the scale of its x
    return math.degrees(math.atan2(dz, math.hypot(dx, dy))), math.degrees(math.atan2(dy, dx))


@lru_cache(maxsize=2)
def analyser(min_score: float) -> Analyser:
    """One set of graphs per process (per detection threshold)."""
    return Analyser(min_score)
