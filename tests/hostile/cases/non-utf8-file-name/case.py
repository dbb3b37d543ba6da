import json
import os
from pathlib import Path
from urllib.parse import unquote_to_bytes

NAME = b"caf\xe9\x1b[31m.md"


def make(work: Path) -> None:
    (work / "cards").mkdir()
    with open(os.fsencode(work / "cards") + b"/" + NAME, "w", encoding="utf-8") as stream:
        stream.write("<!--\nModels:\n- Name: m\n  Metadata:\n    Image Size: '224'\n-->\n")


def check(work: Path, run) -> None:
    log = json.loads((work / "report.sarif").read_text(encoding="utf-8"))
    [result] = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert unquote_to_bytes(uri) == b"cards/" + NAME
