"""The door for a generator of one's own (chapter 7): register it, and the study trains it.

A generator is a class (or a factory) with ``fit(images, seed)`` and ``sample(n, seed)``
(:mod:`ganaug.generators.interface`). :func:`register_generator` makes two arms of it, ``NAME``
(with classic augmentation) and ``NAME_no_classic``; ``run_experiment`` then trains one per unit
on that unit's training bcc images only and caches its pool as a piece whose version hashes the
registered code (:func:`generator_version`): editing the class reruns its pieces and nothing
else.

Example
-------
::

    import numpy as np
    from ganaug import experiment

    class MeanPlusNoise:
        def fit(self, images, seed):              # a unit's training bcc, uint8 (N, 28, 28, 3)
            self.mean = images.mean(axis=0)
        def sample(self, n, seed):                # n uint8 images, reproducible from seed
            noise = np.random.default_rng(seed).normal(0, 20, (n, 28, 28, 3))
            return np.clip(self.mean + noise, 0, 255).astype(np.uint8)

    experiment.register_generator("meannoise", MeanPlusNoise)
    experiment.run_experiment(data, "my_study", "smoke", arms=["classic", "meannoise"])

The study refuses, with a ``ValueError``: samples of the wrong shape or dtype, NaN pixels, a
sample count not honoured, and a generator that reads held-out images, either from the data
folder or cache while it fits and samples (:func:`ganaug.generators.no_data_files`) or by
returning copies of the unit's validation or test images
(:func:`ganaug.generators.refuse_held_out_copies`). Custom generators run in-process (not on
Ray) and have K = 1 per unit.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

from ganaug import config
from ganaug.data.cache import atomic_save_npz
from ganaug.data.core import select_classes
from ganaug.data.splits import Splits
from ganaug.experiment.arms import ARMS, MINORITY, Arm
from ganaug.experiment.gans import ABLATION_KINDS, GENERATORS
from ganaug.experiment.provenance import data_fingerprint
from ganaug.experiment.versions import source_version
from ganaug.generators import (
    fit_and_sample,
    make_generator,
    no_data_files,
    refuse_held_out_copies,
)

#: The library code that trains, checks and guards a registered generator: part of every
#: custom pool's version, beside the registered code itself.
CUSTOM_CODE = (
    "ganaug.experiment.custom",
    "ganaug.generators.guard",
    "ganaug.generators.interface",
)

#: Registered generators: name -> factory (class or function).
REGISTRY: dict[str, Callable] = {}

_NAME = re.compile(r"[a-z][a-z0-9_]{0,30}")
_RESERVED = {"real_half", "blurred", "floor", "none", *GENERATORS, *ABLATION_KINDS}


def register_generator(
    name: str, factory: Callable, description: str | None = None
) -> tuple[Arm, Arm]:
    """Register ``factory`` (a class or function making an object with ``fit(images, seed)``
    and ``sample(n, seed)``) as the study's generator ``name``; return its two arms, ``name``
    (classic augmentation plus its bcc up to the largest class) and ``name + "_no_classic"``.
    Registering a name again replaces its factory (its pieces then rerun if the code differs).

    Examples
    --------
    >>> class Copycat:
    ...     def fit(self, images, seed):
    ...         self.images = images
    ...     def sample(self, n, seed):
    ...         return self.images[np.random.default_rng(seed).integers(len(self.images), size=n)]
    >>> [arm.name for arm in register_generator("copycat", Copycat)]
    ['copycat', 'copycat_no_classic']
    >>> ARMS["copycat_no_classic"].augment, ARMS["copycat"].generator
    (False, 'copycat')
    >>> unregister_generator("copycat")
    >>> register_generator("dcgan", Copycat)
    Traceback (most recent call last):
    ...
    ValueError: 'dcgan' is taken by the study: choose another name for your generator
    """
    if not isinstance(name, str) or not _NAME.fullmatch(name) or name.endswith("_no_classic"):
        raise ValueError(
            f"a generator's name is lower-case letters, digits and _ (at most 31, not ending in "
            f"_no_classic), starting with a letter: got {name!r}"
        )
    taken = name in _RESERVED or (name in ARMS and name not in REGISTRY)
    if taken or (f"{name}_no_classic" in ARMS and name not in REGISTRY):
        raise ValueError(f"{name!r} is taken by the study: choose another name for your generator")
    if not callable(factory):
        raise ValueError(f"register a class or a function that makes a generator, not {factory!r}")
    generator_source(factory)  # refuse now a factory whose code cannot be read
    words = description or f"{name} ({getattr(factory, '__name__', 'a generator')})"
    arms = (
        Arm(name, f"classic + bcc from {words} up to the largest class", generator=name),
        Arm(
            f"{name}_no_classic",
            f"bcc from {words} up to the largest class, no classic augmentation",
            augment=False,
            generator=name,
        ),
    )
    REGISTRY[name] = factory
    ARMS.update({arm.name: arm for arm in arms})
    return arms


def unregister_generator(name: str) -> None:
    """Remove generator ``name`` and its two arms (results already written stay).

    Examples
    --------
    >>> unregister_generator("nothing_here")
    Traceback (most recent call last):
    ...
    ValueError: no generator 'nothing_here' is registered (registered: none)
    """
    if name not in REGISTRY:
        known = ", ".join(REGISTRY) or "none"
        raise ValueError(f"no generator {name!r} is registered (registered: {known})")
    del REGISTRY[name]
    for arm in (name, f"{name}_no_classic"):
        ARMS.pop(arm, None)


def registered_generators() -> dict[str, Callable]:
    """The registered generators, name -> factory (a copy).

    Examples
    --------
    >>> isinstance(registered_generators(), dict)
    True
    """
    return dict(REGISTRY)


def is_registered(generator: str | None) -> bool:
    """Whether ``generator`` names a registered generator (not one of the study's GANs)."""
    return generator in REGISTRY


# --- the version of the registered code ----------------------------------------------------


def _normalised(text: str) -> str:
    """Source text as the AST it parses to, docstrings left out (comments never reach it)."""
    text = textwrap.dedent(text)
    try:
        tree = ast.parse(text)
    except SyntaxError:  # a lambda cut out of a longer expression: keep its words
        return " ".join(text.split())
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def _functions(obj) -> list:
    """The plain functions that make up ``obj`` (itself, or a class's methods)."""
    if inspect.isclass(obj):
        found = []
        for value in vars(obj).values():
            value = getattr(value, "__func__", value)  # static and class methods
            if isinstance(value, property):
                found += [f for f in (value.fget, value.fset, value.fdel) if f]
            elif inspect.isfunction(value):
                found.append(value)
        return found
    return [obj] if inspect.isfunction(obj) else []


def _source(obj) -> str:
    try:
        return _normalised(inspect.getsource(obj))
    except (OSError, TypeError):  # a class defined in a notebook: its members one by one
        if not inspect.isclass(obj):
            raise ValueError(
                f"cannot read the source code of {obj!r}: define it in a file or a notebook "
                "cell, so that its version can be hashed"
            ) from None
    parts = [f"class {obj.__qualname__}{tuple(b.__qualname__ for b in obj.__bases__)}"]
    for key, value in sorted(vars(obj).items()):
        if key.startswith("__"):  # the docstring, module and the like: no code
            continue
        if isinstance(value, int | float | str | bool | tuple | type(None)):
            parts.append(f"{key} = {value!r}")
    return "\n".join(parts + [_source(f) for f in _functions(obj)])


def _names(code) -> set[str]:
    found = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            found |= _names(const)
    return found


def _wanted(value, module: str) -> bool:
    home = getattr(value, "__module__", None) or ""
    return (inspect.isfunction(value) or inspect.isclass(value)) and (
        home == module or home.split(".")[0] == "ganaug"
    )


def generator_source(factory: Callable) -> str:
    """The code that ``factory`` runs, as one text: its source (docstrings and comments left
    out) and, transitively, that of the functions and classes of its own module or of ganaug
    that it uses by name, its base classes, and the simple constants it reads.

    Examples
    --------
    >>> from ganaug.generators import VAEGenerator
    >>> "build_vae" in generator_source(VAEGenerator)  # it reads the function that builds it
    True
    """
    parts: dict[str, str] = {}
    todo = [factory.func] if hasattr(factory, "func") else [factory]  # functools.partial
    if hasattr(factory, "func"):
        parts["partial"] = repr((factory.args, sorted(factory.keywords.items())))
    while todo:
        obj = todo.pop()
        key = f"{getattr(obj, '__module__', '')}:{getattr(obj, '__qualname__', repr(obj))}"
        if key in parts:
            continue
        parts[key] = _source(obj)
        module = getattr(obj, "__module__", "") or ""
        space = vars(sys.modules[module]) if module in sys.modules else {}
        if inspect.isclass(obj):
            todo += [base for base in obj.__bases__ if _wanted(base, module)]
        for function in _functions(obj):
            space = {**space, **function.__globals__}
            for name in sorted(_names(function.__code__)):
                value = space.get(name)
                if _wanted(value, module):
                    todo.append(value)
                elif isinstance(value, int | float | str | bool | tuple | dict):
                    parts.setdefault(f"{module}:{name}", f"{name} = {value!r}")
            for cell in function.__closure__ or ():
                value = cell.cell_contents
                if _wanted(value, module):
                    todo.append(value)
    return "\n".join(f"{key}\n{parts[key]}" for key in sorted(parts))


def generator_version(name: str) -> str:
    """SHA-256 (hex) of generator ``name``'s registered code (:func:`generator_source`) and the
    library code that trains and checks it (:data:`CUSTOM_CODE`): part of its pieces' versions.
    """
    if name not in REGISTRY:
        raise ValueError(f"no generator {name!r} is registered: use register_generator first")
    text = source_version(CUSTOM_CODE) + "\0" + generator_source(REGISTRY[name])
    return hashlib.sha256(text.encode()).hexdigest()


# --- one unit's pool -------------------------------------------------------------------------


def custom_pool_path(folder: Path, name: str) -> Path:
    """The cached pool of registered generator ``name`` in a unit's cache folder.

    Examples
    --------
    >>> custom_pool_path(Path("cache"), "vae").name
    'custom_vae_pool.npz'
    """
    return Path(folder) / f"custom_{name}_pool.npz"


def guarded_folders() -> list[Path]:
    """The folders a generator may not read while it fits and samples: the data folder and the
    cache (resized arrays, downloads, other units' pools)."""
    return [config.data_dir(), config.cache_dir()]


def custom_pool(
    name: str, splits: Splits, count: int, profile: str, seed: int, folder: Path
) -> np.ndarray:
    """``count`` bcc images (uint8) from registered generator ``name``, built for ``profile``,
    fitted with ``seed`` on the training bcc of ``splits`` only and checked: samples by
    :func:`ganaug.generators.fit_and_sample`, no reading of the data while it runs, no copies
    of ``splits``' validation or test images. The pool, the ids of the images it saw and its
    key (code version, profile, seed, libraries, images) are cached in ``folder`` and reused
    only while the key holds."""
    seen = select_classes(splits.train, [MINORITY])
    key = {
        "generator": name,
        "code": generator_version(name),
        "profile": profile,
        "seed": str(seed),
        "libraries": f"tensorflow {tf.__version__}, keras {keras.__version__}",
        "data": data_fingerprint(seen),
    }
    path = custom_pool_path(folder, name)
    if path.exists():
        with np.load(path) as cached:
            if json.loads(str(cached["key"])) == key and len(cached["images"]) >= count:
                return cached["images"][:count]
    with no_data_files(guarded_folders()):
        generator = make_generator(REGISTRY[name], profile)
        samples = fit_and_sample(generator, seen.images, count, seed)
    held_out = np.concatenate([splits.val.images, splits.test.images])
    refuse_held_out_copies(samples, held_out, splits.train.images, f"generator {name!r}")
    atomic_save_npz(
        path,
        images=samples,
        trained_on=seen.image_id.astype(str),
        key=np.array(json.dumps(key, sort_keys=True)),
    )
    return samples


def custom_trained_on(folder: Path, name: str) -> np.ndarray:
    """The image ids registered generator ``name`` was fitted on in a unit's cache folder."""
    with np.load(custom_pool_path(folder, name)) as cached:
        return cached["trained_on"]
