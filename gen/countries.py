#!/usr/bin/python3
"""Writes gen/countries.c: ISO 3166-1 alpha-2 codes with their English and
German names (Debian's iso-codes, /usr/share/iso-codes and its German
catalogue) and what EU data-protection law says of each: in the EU/EEA, or
covered by an adequacy decision of the European Commission (Art. 45 GDPR).

Run by hand when iso-codes or the list of adequacy decisions changes:
    /usr/bin/python3 gen/countries.py > gen/countries.c && clang-format -i gen/countries.c
"""
import gettext
import json

EU = "AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
EEA = EU + "IS LI NO".split()
# Commission adequacy decisions (state of 2024): Andorra, Argentina, Canada
# (commercial organisations), Faroe Islands, Guernsey, Israel, Isle of Man,
# Japan, Jersey, New Zealand, Republic of Korea, Switzerland, United
# Kingdom, Uruguay, United States (organisations certified under the EU-US
# Data Privacy Framework).
ADEQUACY = "AD AR CA FO GG IL IM JP JE NZ KR CH GB UY US".split()


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    data = json.load(open("/usr/share/iso-codes/json/iso_3166-1.json"))["3166-1"]
    de = gettext.translation("iso_3166-1", localedir="/usr/share/locale", languages=["de"])
    rows = []
    for c in sorted(data, key=lambda c: c["alpha_2"]):
        en = c.get("common_name", c["name"])
        ge = de.gettext(en)
        if ge == en and "common_name" in c:
            ge = de.gettext(c["name"])
        code = c["alpha_2"]
        rows.append("\t{%s, %s, %s, %s, %s}," % (
            c_str(code), c_str(en), c_str(ge),
            "true" if code in EEA else "false",
            "true" if code in ADEQUACY else "false"))
    print("/* countries.c: written by gen/countries.py from Debian's iso-codes; do")
    print(" * not edit by hand. */")
    print('#include "countries.h"\n')
    print("#include <string.h>\n")
    print("static const tc_country countries[] = {")
    print("\n".join(rows))
    print("};\n")
    print("const tc_country *tc_country_get(const char *code)")
    print("{")
    print("\tsize_t lo = 0, hi = sizeof countries / sizeof countries[0];")
    print("\twhile (code && lo < hi) {")
    print("\t\tsize_t mid = (lo + hi) / 2;")
    print("\t\tint c = strcmp(code, countries[mid].code);")
    print("\t\tif (!c)")
    print("\t\t\treturn &countries[mid];")
    print("\t\tif (c < 0)")
    print("\t\t\thi = mid;")
    print("\t\telse")
    print("\t\t\tlo = mid + 1;")
    print("\t}")
    print("\treturn NULL;")
    print("}\n")
    print("const tc_country *tc_country_at(size_t i)")
    print("{")
    print("\treturn i < sizeof countries / sizeof countries[0] ? &countries[i] : NULL;")
    print("}")


main()
