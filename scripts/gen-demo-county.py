#!/usr/bin/env python3
"""Writes the demo county's reference data into data/demo/.

开化县 (330824) with its real township-level codes (GB/T 2260), and
generated villages, grids and outlines (marked demo: names, codes beyond the
township level and shapes are invented). A real county replaces these files
with its own. Deterministic: the same files every run.
"""
import json
import os
import random

OUT = os.path.join(os.path.dirname(__file__), "..", "data", "demo")
random.seed(330824)

COUNTY = ("330824", "开化县", 29.137, 118.415)
# 芹阳办事处's code is not published: 330824001 is a demo code.
TOWNSHIPS = [
    ("330824001", "芹阳办事处"), ("330824106", "桐村镇"), ("330824107", "杨林镇"),
    ("330824108", "苏庄镇"), ("330824109", "齐溪镇"), ("330824113", "村头镇"),
    ("330824115", "华埠镇"), ("330824116", "马金镇"), ("330824117", "池淮镇"),
    ("330824202", "中村乡"), ("330824205", "长虹乡"), ("330824208", "何田乡"),
    ("330824216", "林山乡"), ("330824217", "音坑乡"), ("330824218", "大溪边乡"),
]
FIRST = "金下上大小新高石花龙桥塘溪山坑源岭田坞湾东西南北前后中里外茶枫竹梅桂云"
SECOND = "村坞源田坑口塘岭湾头溪山畈垄坂桥"

# The county's box (lat, lng) split into a 5 x 3 grid of township cells.
LAT0, LAT1, LNG0, LNG1 = 28.95, 29.45, 118.05, 118.65


def rect(lat0, lat1, lng0, lng1):
    ring = [[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]
    return {"type": "Polygon", "coordinates": [[[round(x, 5), round(y, 5)] for x, y in ring]]}


def split(lat0, lat1, lng0, lng1, n):
    """n cells in rows west to east, then north to south (grid numbering convention)."""
    cols = max(1, round(n ** 0.5))
    rows = (n + cols - 1) // cols
    cells = []
    for i in range(n):
        r, c = divmod(i, cols)
        la1 = lat1 - (lat1 - lat0) * r / rows
        la0 = lat1 - (lat1 - lat0) * (r + 1) / rows
        ln0 = lng0 + (lng1 - lng0) * c / cols
        ln1 = lng0 + (lng1 - lng0) * (c + 1) / cols
        cells.append((la0, la1, ln0, ln1))
    return cells


def village_names(count, urban):
    names, seen = [], set()
    while len(names) < count:
        base = random.choice(FIRST) + random.choice(SECOND)
        if base in seen:
            continue
        seen.add(base)
        names.append(base + ("社区" if urban and len(names) < 4 else "村"))
    return names


def main():
    rows = [("code", "name", "level", "parent_code", "lat", "lng", "demo")]
    features = []
    code, name, lat, lng = COUNTY
    rows.append((code, name, "county", "", f"{lat:.5f}", f"{lng:.5f}", "0"))
    features.append((code, rect(LAT0, LAT1, LNG0, LNG1)))
    cells = split(LAT0, LAT1, LNG0, LNG1, len(TOWNSHIPS))
    villages_total = grids_total = 0
    for t, ((tcode, tname), cell) in enumerate(zip(TOWNSHIPS, cells)):
        la0, la1, ln0, ln1 = cell
        rows.append((tcode, tname, "township", code, f"{(la0+la1)/2:.5f}", f"{(ln0+ln1)/2:.5f}",
                     "1" if tcode == "330824001" else "0"))
        features.append((tcode, rect(*cell)))
        nvill = 17 if t < 10 else 16
        urban = tname in ("芹阳办事处", "华埠镇")
        for v, (vname, vcell) in enumerate(zip(village_names(nvill, urban), split(*cell, nvill))):
            vcode = f"{tcode}{(200 + v + 1) if not (urban and v < 4) else (1 + v):03d}"
            rows.append((vcode, vname, "village", tcode,
                         f"{(vcell[0]+vcell[1])/2:.5f}", f"{(vcell[2]+vcell[3])/2:.5f}", "1"))
            features.append((vcode, rect(*vcell)))
            villages_total += 1
            ngrid = 3 if (villages_total % 5) < 4 else 2
            for g, gcell in enumerate(split(*vcell, ngrid)):
                gcode = f"{vcode}{g + 1:03d}"
                rows.append((gcode, f"{vname}第{g + 1}网格", "grid", vcode,
                             f"{(gcell[0]+gcell[1])/2:.5f}", f"{(gcell[2]+gcell[3])/2:.5f}", "1"))
                features.append((gcode, rect(*gcell)))
                grids_total += 1
    with open(os.path.join(OUT, "divisions.csv"), "w", encoding="utf-8", newline="") as f:
        for r in rows:
            f.write(",".join(r) + "\r\n")
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": c}, "geometry": g} for c, g in features]}
    with open(os.path.join(OUT, "outlines.geojson"), "w", encoding="utf-8") as f:
        json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
    print(f"{len(TOWNSHIPS)} townships, {villages_total} villages, {grids_total} grids")


if __name__ == "__main__":
    main()
