"""The schema's shape as plain data: each node's keys, in order, with the kind of value each holds.

Generated from the pydantic models of `schema.py` by `scripts/schema_table.py`; do not edit
(`tests/test_schema_table.py` fails when it no longer matches them). The kinds are explained there.
"""

NODES = {
    "ModelIndex": {
        "Models": ("list", "any"),
        "Collections": ("list", "any"),
        "Import": "words",
        "Library": ("node", "Library"),
        "Type": "str",
    },
    "Model": {
        "Name": "str",
        "In Collection": "words",
        "Metadata": ("node", "Metadata"),
        "Results": ("list", ("node", "Result")),
        "Paper": ("union", "str", ("node", "PaperRef")),
        "Code": ("union", "str", ("node", "CodeRef")),
        "Weights": "str",
        "Config": "str",
        "README": "str",
        "Image": "str",
    },
    "Collection": {
        "Name": "str",
        "Paper": ("union", "str", ("node", "PaperRef")),
        "Metadata": ("node", "Metadata"),
        "Code": ("union", "str", ("node", "CodeRef")),
        "README": "str",
        "Image": "str",
    },
    "Metadata": {
        "FLOPs": "number",
        "Parameters": "number",
        "File Size": "number",
        "Epochs": "number",
        "Batch Size": "integer",
        "Minibatch Size": "integer",
        "LR": "number",
        "LR Gamma": "number",
        "LR Step Size": "number",
        "Momentum": "number",
        "BatchNorm Momentum": "number",
        "RMSProp Decay": "number",
        "RMSProp $\\epsilon$": "number",
        "Weight Decay": "number",
        "Label Smoothing": "number",
        "Dropout": "number",
        "Stochastic Depth Survival": "number",
        "Layers": "integer",
        "Training Steps": "integer",
        "Warmup Steps": "integer",
        "FPS (GPU RTX 2070)": "number",
        "Training Data": "words",
        "Training Techniques": "words",
        "Training Resources": "str",
        "Training Time": "str",
        "Architecture": "words",
        "Tasks": "words",
        "ID": "str",
        "Crop Pct": "number",
        "Image Size": "integer",
        "Interpolation": "str",
        "Mean": ("list", "number"),
        "Std": ("list", "number"),
    },
    "Result": {
        "Task": "str",
        "Dataset": "str",
        "Metrics": ("dict", "metric"),
    },
    "PaperRef": {
        "Title": "str",
        "URL": "str",
    },
    "CodeRef": {
        "URL": "str",
        "Version": ("union", "str", "int", "float"),
    },
    "Library": {
        "Name": "str",
        "Headline": "str",
        "Website": "str",
        "Repository": "str",
        "Docs": "str",
        "README": "str",
    },
}

NEEDS = {
    "CodeRef": ("URL",),
}
