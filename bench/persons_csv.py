#!/usr/bin/env python3
"""Residents' registers for the registry scenario (7) of bench/run.sh.

    persons_csv.py PREFIX FILES ROWS GRIDS_FILE SEED

writes PREFIX-1.csv .. PREFIX-FILES.csv, ROWS persons each, in the import
format of POST /api/v1/persons/import, spread over the grid codes listed in
GRIDS_FILE; then PREFIX-ids.txt (1,000 of their ID numbers) and
PREFIX-names.txt (200 of their names) for the lookup and name-search runs.
ID numbers are valid GB 11643 numbers of region 150121 (a county pingan gen
never uses), unique within the run; the seed makes each run's numbers its own.
"""
import random
import sys

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑汪余方叶高梁宋邱谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛"
GIVEN = ("伟芳英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华国海燕志春梅建文辉玲宇浩凯鹏飞云红晓莉萍斌"
         "俊峰宁佳琳欣怡子涵雨轩博思晨阳嘉瑞鑫雪婷慧颖秀玉凤珍荣金林德成永福祥瑶琪")
KINDS = ("registered",) * 8 + ("floating",) * 2


def id_number(seventeen):
    total = sum(int(c) * w for c, w in zip(seventeen, WEIGHTS))
    return seventeen + "10X98765432"[total % 11]


def main():
    prefix, files, rows, grids_file, seed = sys.argv[1:6]
    files, rows = int(files), int(rows)
    grids = [g.strip() for g in open(grids_file, encoding="utf-8") if g.strip()]
    rnd = random.Random(int(seed))
    seen = set()
    ids, names = [], []
    for f in range(1, files + 1):
        with open("%s-%d.csv" % (prefix, f), "w", encoding="utf-8") as out:
            out.write("id_number,name,kind,division_code,phone,address\n")
            for _ in range(rows):
                while True:
                    born = "%04d%02d%02d" % (rnd.randint(1935, 2024), rnd.randint(1, 12), rnd.randint(1, 28))
                    seventeen = "150121" + born + "%03d" % rnd.randint(0, 999)
                    if seventeen not in seen:
                        seen.add(seventeen)
                        break
                name = rnd.choice(SURNAMES) + rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.7 else "")
                num = id_number(seventeen)
                phone = "1%s%09d" % (rnd.choice("3456789"), rnd.randint(0, 999999999)) if rnd.random() < 0.85 else ""
                out.write("%s,%s,%s,%s,%s,%s%d号\n" % (num, name, rnd.choice(KINDS), rnd.choice(grids), phone,
                                                     rnd.choice(("中山路", "解放路", "人民路", "江滨路")),
                                                     rnd.randint(1, 300)))
                if len(ids) < 1000 and rnd.random() < 0.05:
                    ids.append(num)
                if len(names) < 200 and rnd.random() < 0.01:
                    names.append(name)
    with open(prefix + "-ids.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(ids) + "\n")
    with open(prefix + "-names.txt", "w", encoding="utf-8") as out:
        out.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()
