"""The learned photo detectors (tjcheck/imaging/learned.py, tjcheck/models/photo_attributes.*):
the model file loads once and is small, its features are finite, the runtime reproduces the
training scores, the tree evaluator reproduces scikit-learn. The rules that decide on them:
tests/test_learned_rules.py."""
from __future__ import annotations

import numpy as np
import pytest

from .conftest import EXAMPLES

pytest.importorskip("mediapipe", reason="face checks need: pip install 'tjcheck[face]'")

RULES = {"glasses": "FA004", "tinted": "FA005", "hat": "FA006", "fringe": "FA007"}


def test_model_loads_once_with_a_card_and_the_ruleset_thresholds():
    from tjcheck.imaging import learned

    found = learned.detectors()
    assert set(found) == set(RULES)
    assert learned.detectors() is found                    # loaded once per process
    assert learned.MODEL_FILE.stat().st_size < 5_000_000
    card = learned.MODEL_FILE.with_suffix(".md").read_text(encoding="utf-8")
    assert "non-commercial research only" in card and "tools/train_photo.py" in card
    with np.load(learned.MODEL_FILE) as z:
        for name in RULES:
            warn, error = (float(v) for v in z[f"{name}.thresholds"])
            assert 0 < warn <= error < 1, name


def test_features_of_the_passing_photo():
    from PIL import Image

    from tjcheck.imaging import learned
    from tjcheck.imaging.face import analyser

    a = analyser(0.6).analyse(Image.open(EXAMPLES / "passing" / "images" / "photo.jpg"))
    x = learned.features(a)
    assert x.dtype == np.float32 and x.ndim == 1 and np.isfinite(x).all()
    assert learned.region_features(x).shape == (1, 16 * 18 + 12)
    p = learned.probabilities(a)
    with np.load(learned.MODEL_FILE) as z:
        assert all(p[name] <= float(z[f"{name}.thresholds"][0]) for name in RULES), p   # a good photo flags nothing


def test_the_runtime_reproduces_the_training_scores():
    """Each detector's raw score on the photos stored with the model equals scikit-learn's at
    training time (the linear and the tree evaluators both, without scikit-learn here)."""
    from tjcheck.imaging import learned

    with np.load(learned.MODEL_FILE) as z:
        xs = z["check_x"]
        for name, det in learned.detectors().items():
            ours = np.array([det.raw(x) for x in xs])
            assert np.allclose(ours, z[f"{name}.check_raw"], atol=1e-3), name


def test_tree_evaluator_reproduces_scikit_learn():
    """The runtime's flat tree walk gives scikit-learn's raw score (training-only dependency)."""
    pytest.importorskip("sklearn", reason="scikit-learn is a training dependency: pip install -e '.[train]'")
    import sys

    from sklearn.ensemble import HistGradientBoostingClassifier

    from tjcheck.imaging.learned import Trees

    sys.path.insert(0, str(EXAMPLES.parent / "tools"))
    from train_photo import export_trees

    rng = np.random.default_rng(5)
    X = rng.normal(size=(400, 12)).astype(np.float32)
    y = (X[:, 0] + X[:, 3] * X[:, 5] + rng.normal(scale=0.5, size=400)) > 0
    model = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=8, random_state=0).fit(X, y)
    z = export_trees(model, "t")
    trees = Trees(float(z["t.base"]), *(z[f"t.{k}"] for k in ("roots", "feature", "threshold", "left", "right",
                                                              "leaf", "value")), int(z["t.depth"]))
    ours = np.array([trees.raw(x) for x in X[:50]])
    assert np.allclose(ours, model.decision_function(X[:50]), atol=1e-4)


