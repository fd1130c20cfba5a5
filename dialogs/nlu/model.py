"""The trained readers: an intent classifier and a safety classifier, calibrated, from the repository's corpus.

Both are linear models over three views of a message: word n-grams of lemmas with placeholders
(``dialogs.nlu.features``), character n-grams of the folded text (typos, compounds, missing å/ä/ö), and
cue tokens from the rules (the safety concepts, the rules' own reading). Probabilities are calibrated
(sigmoid, cross-validated), so "how sure" means the same for every intent and the conversation can ask
when it is unsure.

Training reads ``dialogs/nlu/corpus/*.tsv`` (no model files from outside), the same way every time (fixed
seeds, rows in file order), in seconds. The result is kept in a cache file named by a hash of everything it
was built from (corpus, collaboration terms, the understanding code itself, scikit-learn's), so a process start loads
it in milliseconds and any change trains afresh.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from dialogs.nlu.features import Features
from dialogs.nlu.lexicon import Speller, vocabulary_of

log = logging.getLogger(__name__)

MODEL_VERSION = "5"  # bump when featurising or training changes in a way the hash cannot see
CORPUS_FOLDER = "corpus"
SAFETY_FILE = "safety.tsv"
CUE_WEIGHT = 1.5  # how loud the rules' cues are next to the n-grams
INTENT_C = 1.0  # regularisation, chosen by cross-validation on the training corpus (dialogs.nlu.evaluate --cv)
SAFETY_C = 0.3


@dataclass(frozen=True)
class Example:
    text: str
    label: str


def corpus_files() -> list[Path]:
    folder = resources.files("dialogs.nlu").joinpath(CORPUS_FOLDER)
    return sorted((Path(str(p)) for p in folder.iterdir() if p.name.endswith(".tsv")), key=lambda p: p.name)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def intent_examples(paths: Iterable[Path]) -> list[Example]:
    return [Example(row["utterance"].strip(), row["intent"].strip()) for path in paths if path.name != SAFETY_FILE
            for row in read_rows(path) if (row.get("utterance") or "").strip() and (row.get("intent") or "").strip()]


def safety_examples(paths: Iterable[Path]) -> list[Example]:
    """The safety corpus with its verdicts, and every intent example as 'none' (ordinary messages)."""
    paths = list(paths)
    labelled = [Example(row["utterance"].strip(), row["label"].strip()) for path in paths
                if path.name == SAFETY_FILE for row in read_rows(path) if (row.get("utterance") or "").strip()]
    seen = {example.text for example in labelled}
    ordinary = [Example(e.text, "none") for e in intent_examples(paths) if e.text not in seen]
    return labelled + ordinary


def _as_is(cues):
    return cues


class TextClassifier:
    """Ranks labels for one message, with calibrated probabilities that add up to one."""

    def __init__(self, examples: list[Features], labels: list[str], *, c: float) -> None:
        self._words = TfidfVectorizer(analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
                                      lowercase=False)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2,
                                      lowercase=False)
        self._cues = CountVectorizer(analyzer=_as_is, binary=True)
        matrix = sp.hstack([self._words.fit_transform([f.tokens for f in examples]),
                            self._chars.fit_transform([f.folded for f in examples]),
                            CUE_WEIGHT * self._cues.fit_transform([f.cues for f in examples])]).tocsr()
        folds = min(5, min(labels.count(label) for label in set(labels)))
        self._classifier = CalibratedClassifierCV(
            LinearSVC(C=c, class_weight="balanced", random_state=0, max_iter=10000),
            method="sigmoid", cv=StratifiedKFold(folds, shuffle=True, random_state=0), ensemble=False)
        self._classifier.fit(matrix, labels)
        self.labels: tuple[str, ...] = tuple(str(label) for label in self._classifier.classes_)
        self._compile()

    def _compile(self) -> None:
        """The fitted model as plain arrays, so one message is ranked in microseconds: scikit-learn's own
        predict_proba validates its input on every call (milliseconds per message, for 40 calibrators)."""
        calibrated = self._classifier.calibrated_classifiers_[0]
        svc = calibrated.estimator
        assert list(svc.classes_) == list(self._classifier.classes_) and len(self.labels) > 2
        self._weights = np.ascontiguousarray(svc.coef_.T, dtype=np.float32)  # features × classes
        self._bias = svc.intercept_.astype(np.float64)
        self._slopes = np.array([c.a_ for c in calibrated.calibrators], dtype=np.float64)
        self._offsets = np.array([c.b_ for c in calibrated.calibrators], dtype=np.float64)
        self._analyzers = (self._words.build_analyzer(), self._chars.build_analyzer())
        self._starts = (0, len(self._words.vocabulary_), len(self._words.vocabulary_) + len(self._chars.vocabulary_))

    def _vector(self, features: Features) -> tuple[np.ndarray, np.ndarray]:
        """(feature indices, values) exactly as the fitted vectorizers would give them."""
        indices: list[int] = []
        values: list[float] = []
        for text, analyzer, vectorizer, start in ((features.tokens, self._analyzers[0], self._words, self._starts[0]),
                                                  (features.folded, self._analyzers[1], self._chars, self._starts[1])):
            counts: dict[int, int] = {}
            for gram in analyzer(text):
                column = vectorizer.vocabulary_.get(gram)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            if not counts:
                continue
            columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * \
                vectorizer.idf_[columns]
            weights /= np.linalg.norm(weights)
            indices.extend((columns + start).tolist())
            values.extend(weights.tolist())
        for cue in set(features.cues):
            column = self._cues.vocabulary_.get(cue)
            if column is not None:
                indices.append(self._starts[2] + column)
                values.append(CUE_WEIGHT)
        return np.asarray(indices, dtype=np.int64), np.asarray(values, dtype=np.float64)

    def _matrix(self, features: list[Features]):
        return sp.hstack([self._words.transform([f.tokens for f in features]),
                          self._chars.transform([f.folded for f in features]),
                          CUE_WEIGHT * self._cues.transform([f.cues for f in features])]).tocsr()

    def rank(self, features: Features) -> list[tuple[str, float]]:
        indices, values = self._vector(features)
        decision = values @ self._weights[indices] + self._bias if len(indices) else self._bias.copy()
        probabilities = 1.0 / (1.0 + np.exp(self._slopes * decision + self._offsets))  # Platt, per class
        total = probabilities.sum()
        probabilities = probabilities / total if total > 0 else np.full_like(probabilities, 1 / len(probabilities))
        return [(self.labels[i], float(probabilities[i])) for i in np.argsort(-probabilities)]


@dataclass
class Models:
    speller: Speller
    intents: TextClassifier
    safety: TextClassifier
    slots: dict[str, TextClassifier] = field(default_factory=dict)  # focus_area, topic: when no word names them


@dataclass(frozen=True)
class SlotModel:
    """A slot a classifier learns from the corpus, and the intents whose rows teach it."""
    slot: str
    intents: tuple[str, ...]
    labelled_only: bool = False  # learn only from rows that give a value: no "none", always a guess

    def label(self, row: dict) -> str | None:
        """The row's value as a training label, "none" where unlabelled, None for a row that does not teach."""
        if row.get("intent") not in self.intents or not (row.get("utterance") or "").strip():
            return None
        try:
            value = json.loads(row.get("slots") or "{}").get(self.slot)
        except json.JSONDecodeError:
            return None
        if isinstance(value, str):
            return value
        return None if self.labelled_only else "none"


_FOCUS_INTENTS = ("log_observation", "show_situation", "list_actions", "create_action", "list_observations")
SLOT_MODELS = {
    # A filter no word names ("lägesbild fylla"): "none" is learned too, since a list filtered on a guess hides.
    "focus_area": SlotModel("focus_area", _FOCUS_INTENTS),
    # What an observation or a new action is about, shown back before it is kept, so a guess costs a glance.
    "kept_focus_area": SlotModel("focus_area", _FOCUS_INTENTS, labelled_only=True),
    "topic": SlotModel("topic", ("agreement_info",)),
    # One incident or a pattern, a citizens' or a staff dialogue, figures: shown back on the card before saving.
    "kind": SlotModel("kind", ("log_observation",), labelled_only=True),
}


def slot_examples(paths: Iterable[Path], name: str) -> list[Example]:
    spec = SLOT_MODELS[name]
    found = []
    for path in paths:
        if path.name == SAFETY_FILE:
            continue
        for row in read_rows(path):
            label = spec.label(row)
            if label is not None:
                found.append(Example(row["utterance"].strip(), label))
    return found


Featurizer = Callable[[str, object, Speller], Features]


def train(paths: list[Path], config, featurize_intent: Featurizer, featurize_safety: Featurizer) -> Models:
    """Fit both classifiers from the corpus files; deterministic for the same input."""
    intents = intent_examples(paths)
    safety = safety_examples(paths)
    speller = Speller(vocabulary_of([e.text for e in safety]) | config_vocabulary(config))
    intent_features = [featurize_intent(e.text, config, speller) for e in intents]
    safety_features = [featurize_safety(e.text, config, speller) for e in safety]
    slot_models = {}
    for slot in SLOT_MODELS:
        examples = slot_examples(paths, slot)
        slot_models[slot] = TextClassifier([featurize_intent(e.text, config, speller) for e in examples],
                                           [e.label for e in examples], c=INTENT_C)
    return Models(speller,
                  TextClassifier(intent_features, [e.label for e in intents], c=INTENT_C),
                  TextClassifier(safety_features, [e.label for e in safety], c=SAFETY_C),
                  slot_models)


def config_vocabulary(config) -> set[str]:
    texts = [config.name, config.municipality, config.police_area]
    for entry in (*config.focus_areas, *config.forums):
        texts += [entry.name, *entry.synonyms, entry.description]
    for place in getattr(config, "places", ()):
        texts += [place.name, *place.synonyms]
    return vocabulary_of(texts)


def fingerprint(config, paths: list[Path], code_version: str) -> str:
    digest = hashlib.sha256(f"{MODEL_VERSION}|{code_version}|{sklearn.__version__}".encode())
    # The code that turns text into features and labels is part of what was trained: a change to any of it
    # (a rule, a slot reader, a new slot model) must not meet a model kept from before.
    for source in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(source.read_bytes())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(repr(sorted(config_vocabulary(config))).encode())
    for entry in (*config.focus_areas, *config.forums):
        digest.update(repr((entry.code, entry.name, entry.synonyms)).encode())
    return digest.hexdigest()[:24]


def cache_dir() -> Path:
    configured = os.environ.get("SAMVERKAN_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "samverkansboten"


@lru_cache(maxsize=4)
def load(config, featurize_intent: Featurizer, featurize_safety: Featurizer, code_version: str) -> Models:
    """The models for ``config``: from the cache when built from the same things, else trained now and kept."""
    paths = corpus_files()
    path = cache_dir() / f"nlu-{fingerprint(config, paths, code_version)}.pickle"
    try:
        with path.open("rb") as handle:
            models = pickle.load(handle)
        if isinstance(models, Models):
            return models
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    models = train(paths, config, featurize_intent, featurize_safety)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False) as handle:
            pickle.dump(models, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as error:  # a read-only home: train again at the next start, which is only slower
        log.warning("could not keep the trained understanding in %s: %s", path.parent, error)
    return models
