#!/usr/bin/env python3
"""A plain reader of the department-list layout (one row per project, indicators packed into one
cell as `1、效益指标：名称，年度指标值：值。2、…`) that prints the projects as JSON.

The yardstick `cargo xtask cli-bench` times next to `jixiao parse`: what a user could write in an
afternoon with the standard library. It covers this layout only, not joined rows, other layouts,
encodings or problems.

usage: department_list.py FILE > out.json
"""

import json
import re
import sys

ITEM = re.compile(r"(\d+)、")
HEADER = ("项目名称", "序号")


def amount(text):
    text = text.strip().replace(",", "")
    return text or None


def indicators(cell):
    found = []
    parts = ITEM.split(cell)
    # parts: [before, seq, body, seq, body, ...]
    for i in range(1, len(parts) - 1, 2):
        body = parts[i + 1].strip().rstrip("。；;")
        category, _, rest = body.partition("：")
        name, _, value = rest.partition("，年度指标值：")
        found.append(
            {"seq": int(parts[i]), "category": category, "name": name, "value": value}
        )
    return found


def read(path):
    documents = []
    document = None
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            line = line.rstrip("\r\n")
            stripped = line.strip()
            if not stripped:
                continue
            if "\t" not in stripped and "绩效目标表" in stripped:
                document = {"title": stripped, "department": None, "unit": None, "units": []}
                documents.append(document)
                continue
            if document is None:
                document = {"title": None, "department": None, "unit": None, "units": []}
                documents.append(document)
            if stripped.startswith("部门名称"):
                document["department"] = stripped[4:].lstrip("：: ")
                continue
            if stripped.startswith("单位："):
                document["unit"] = stripped[3:]
                continue
            if stripped.startswith(HEADER):
                continue
            cells = line.split("\t")
            name = cells[0].strip()
            amounts = [amount(c) for c in cells[1:5]]
            if name in ("合计", "总计"):
                document["total"] = amounts
                continue
            goal = cells[5].strip() if len(cells) > 5 else ""
            packed = cells[6].strip() if len(cells) > 6 else ""
            if not goal and not packed:
                document["units"].append({"name": name, "amounts": amounts, "projects": []})
                continue
            if not document["units"]:
                document["units"].append(
                    {"name": document["department"], "amounts": [], "projects": []}
                )
            document["units"][-1]["projects"].append(
                {
                    "name": name,
                    "line": number,
                    "amounts": amounts,
                    "goal": goal,
                    "indicators": indicators(packed),
                }
            )
    return documents


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.stdout.write(json.dumps(read(sys.argv[1]), ensure_ascii=False))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
