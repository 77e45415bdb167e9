/* content/: loading the sources, and every error with its message and
 * position. Each case starts from a small valid content folder, replaces
 * or removes files, and expects exactly the listed diagnostics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "../gen/content.h"
#include "helpers.h"

static const char *SITE = "---\n"
			  "organisation: Org\n"
			  "title: TC\n"
			  "version: \"1\"\n"
			  "date: \"2026-01-01\"\n"
			  "---\n"
			  "Hello. [Alpha](/categories/alpha/)\n";

static const char *SCOPES = "---\n"
			    "scopes:\n"
			    "  - id: box\n"
			    "    name: Box\n"
			    "    kind: product\n"
			    "  - id: site\n"
			    "    name: Site\n"
			    "    kind: site\n"
			    "---\n";

static const char *ALPHA = "---\n"
			   "id: alpha\n"
			   "title: Alpha\n"
			   "---\n"
			   "Prose.\n"
			   "\n"
			   "| ID | Measure | Box | Site |\n"
			   "|---|---|---|---|\n"
			   "| ALP-1 | One | ✓ | NA |\n"
			   "| ALP-2 | Two | X | ✓ note |\n";

typedef struct file {
	const char *path, *text; /* text NULL: remove the file */
} file;

typedef struct error_case {
	const char *name;
	file files[4];
	const char *expected;
} error_case;

static const error_case cases[] = {
    {"unknown scope in header",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Moon |\n"
       "|---|---|---|---|\n| ALP-1 | One | ✓ | ✓ |\n"}},
     "c/categories/01-alpha.md:5:23: error: unknown scope 'Moon' in table "
     "header (scopes are declared in scopes.md)\n"},
    {"row with too few cells",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | One | ✓ |\n"}},
     "c/categories/01-alpha.md:7:1: error: row has 3 cells, the table "
     "header has 4 (a '|' inside a cell, inline code included, needs a "
     "backslash before it)\n"},
    {"a pipe in inline code splits the row as cmark-gfm does",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | Use `a|b` | ✓ | NA |\n"
       "| ALP-2 | Use `a\\|b` | ✓ | NA |\n"}},
     "c/categories/01-alpha.md:7:1: error: row has 5 cells, the table "
     "header has 4 (a '|' inside a cell, inline code included, needs a "
     "backslash before it)\n"},
    /* cmark-gfm ends a line at a lone carriage return too: counted by
     * line feeds, the row checked was two lines further down, and a row
     * split by a '|' in inline code gave its ✓ to free text, unreported. */
    {"a lone carriage return ends a line, as for cmark-gfm",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\nProse\rin\rthree lines.\n\n"
       "| ID | Measure | Box | Site |\n|---|---|---|---|\n"
       "| ALP-1 | Use `a|b` | X | ✓ |\n| ALP-2 | Two | ✓ | NA |\n"
       "| ALP-3 | Three | ✓ | NA |\n# a | b | c | d\n# a | b | c | d\n"}},
     "c/categories/01-alpha.md:11:1: error: row has 5 cells, the table "
     "header has 4 (a '|' inside a cell, inline code included, needs a "
     "backslash before it)\n"},
    /* a table in a quote or a list item showed its marks on the page
     * and was in no download, search or product page */
    {"measure tables inside a quote and a list",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | One | ✓ | NA |\n\n"
       "> | ID | Measure | Box |\n> |---|---|---|\n> | ALP-9 | Hidden | X |\n"
       "\n- | ID | Measure | Box |\n  |---|---|---|\n  | ALP-8 | Too | X |\n"}},
     "c/categories/01-alpha.md:9:3: error: a table inside a quote or a list "
     "is no measure table: its marks would show on the page and be in no "
     "download (measure tables stand at the top level of the file)\n"
     "c/categories/01-alpha.md:13:3: error: a table inside a quote or a "
     "list is no measure table: its marks would show on the page and be in "
     "no download (measure tables stand at the top level of the file)\n"},
    {"a table with only its header row",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n\nMore prose.\n"}},
     "c/categories/01-alpha.md:5:1: error: the table has a header row but "
     "no measures\n"},
    {"shared names a cell that is not a noted tick",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\nshared: [ALP-1/box, ALP-1/moon, "
       "ALP-2/site, ALP-1]\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | One | ✓ | NA |\n"
       "| ALP-2 | Two | ✓ | X (noted) |\n"}},
     "c/categories/01-alpha.md:4:10: error: shared cell 'ALP-1/box' must be "
     "a ✓ with a note that says which part we do\n"
     "c/categories/01-alpha.md:4:21: error: shared names 'ALP-1/moon', which "
     "is not 'MEASURE-ID/scope-id' of a cell of this category\n"
     "c/categories/01-alpha.md:4:33: error: shared cell 'ALP-2/site' must be "
     "a ✓ with a note that says which part we do\n"
     "c/categories/01-alpha.md:4:45: error: shared names 'ALP-1', which is "
     "not 'MEASURE-ID/scope-id' of a cell of this category\n"},
    /* issue 21: "See product description" leads to the product's
     * description, which scopes.md names (url, url_title, url_as_of) */
    {"a product description: where it is, its name and date",
     {{"c/scopes.md",
       "---\nscopes:\n  - id: box\n    name: Box\n    kind: product\n"
       "    url_title: \"Box \xe2\x80\x93 description\"\n  - id: rack\n"
       "    name: Rack\n    kind: product\n"
       "    url: \"ftp://example.test/rack\"\n"
       "    url_as_of: \"2026-02-30\"\n  - id: pod\n    name: Pod\n"
       "    kind: product\n    url: \"https://\\\"onmouseover=x\"\n"
       "  - id: site\n    name: Site\n"
       "    kind: site\n    url: \"https://example.test/site\"\n---\n"},
      {"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Rack | "
       "Site |\n|---|---|---|---|---|\n| ALP-1 | One | See product "
       "description | See product description (chapter 4) | See product "
       "description |\n"}},
     "c/categories/01-alpha.md:7:16: error: cell 'See product description' "
     "for 'Box' in measure 'ALP-1' sends the reader to the product "
     "description, but scopes.md gives 'box' no url: give the product its "
     "url (with url_title and url_as_of, the document's name and date)\n"
     "c/scopes.md:6:5: error: scope 'box': url_title names the product "
     "description at url, which is missing\n"
     "c/scopes.md:10:5: error: scope 'rack': url 'ftp://example.test/rack' "
     "must be an http:// or https:// URL\n"
     "c/scopes.md:11:5: error: scope 'rack': url_as_of '2026-02-30' is not "
     "a date of the form YYYY-MM-DD\n"
     "c/scopes.md:15:5: error: scope 'pod': url 'https://\"onmouseover=x' "
     "must be an http:// or https:// URL\n"
     "c/scopes.md:19:5: error: scope 'site': url, url_title and url_as_of "
     "are for scopes of kind product (its description)\n"},
    {"per_product on a scope that is not organisation-wide",
     {{"c/scopes.md",
       "---\nscopes:\n  - id: box\n    name: Box\n    kind: product\n"
       "    per_product: true\n  - id: site\n    name: Site\n"
       "    kind: site\n---\n"}},
     "c/scopes.md:3:5: error: scope 'box': per_product is for scopes of "
     "kind organisation\n"},
    {"row with too many cells",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | One | ✓ | ✓ | ✓ |\n"}},
     "c/categories/01-alpha.md:7:1: error: row has 5 cells, the table "
     "header has 4 (a '|' inside a cell, inline code included, needs a "
     "backslash before it)\n"},
    {"duplicate measure id across files",
     {{"c/categories/02-beta.md",
       "---\nid: beta\ntitle: Beta\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n| ALP-2 | Again | ✓ |\n"}},
     "c/categories/02-beta.md:7:2: error: duplicate measure ID 'ALP-2' "
     "(first defined at c/categories/01-alpha.md:10)\n"},
    {"missing and malformed measure ids",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n|  | One | ✓ |\n| alp1 | Two | ✓ |\n"}},
     "c/categories/01-alpha.md:7:2: error: missing measure ID\n"
     "c/categories/01-alpha.md:8:2: error: measure ID 'alp1' must look "
     "like 'PAC-1' (capitals, a dash, a number)\n"},
    {"empty cell and empty text",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n| ALP-1 | One |  |\n| ALP-2 |  | ✓ |\n"}},
     "c/categories/01-alpha.md:7:16: error: empty cell for 'Box' in "
     "measure 'ALP-1'\n"
     "c/categories/01-alpha.md:8:10: error: measure 'ALP-2' has no text\n"},
    /* issue 21: every cell begins with a mark. A near miss names the
     * mark meant (another apostrophe, case, two letters wrong, words
     * after a mark); other text lists the marks and how it would read. */
    {"mistyped marks are refused, every one of a row",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | One | N/A | \xe2\x9c\x97 |\n"
       "| ALP-2 | Two | Clients responsibility | RAID-based storage |\n"}},
     "c/categories/01-alpha.md:7:16: error: cell 'N/A' for 'Box' in measure "
     "'ALP-1' begins with no mark: write 'NA' (marks are written exactly "
     "as listed)\n"
     "c/categories/01-alpha.md:7:22: error: cell '\xe2\x9c\x97' for 'Site' "
     "in measure 'ALP-1' is not a mark: write one of '\xe2\x9c\x93', 'yes', "
     "'X', 'NA', 'Client's responsibility', 'See product description'\n"
     "c/categories/01-alpha.md:8:16: error: cell 'Clients responsibility' "
     "for 'Box' in measure 'ALP-2' begins with no mark: write 'Client's "
     "responsibility' (marks are written exactly as listed)\n"
     "c/categories/01-alpha.md:8:41: error: cell 'RAID-based storage' for "
     "'Site' in measure 'ALP-2' begins with no mark (every cell does; the "
     "text after it is its note): '\xe2\x9c\x93 RAID-based storage' reads "
     "\"Provided by us\", 'X (RAID-based storage)' reads \"Not provided\", "
     "'NA (RAID-based storage)' reads \"Not applicable\", 'Client's "
     "responsibility (RAID-based storage)' reads \"Client's "
     "responsibility\", 'See product description (RAID-based storage)' "
     "reads \"See product description\"\n"},
    {"the near misses of a real provider's page",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n"
       "| ALP-1 | One | Client\xe2\x80\x99s responsiblitly | Client "
       "responsibility (see DPA) |\n"
       "| ALP-2 | Two | Client\xc2\xb4s responsibility | x |\n"
       "| ALP-3 | Three | see Product Description | Client's "
       "responsibility see DPA |\n"}},
     "c/categories/01-alpha.md:7:16: error: cell 'Client\xe2\x80\x99s "
     "responsiblitly' for 'Box' in measure 'ALP-1' begins with no mark: "
     "write 'Client's responsibility' (marks are written exactly as "
     "listed)\n"
     "c/categories/01-alpha.md:7:44: error: cell 'Client responsibility "
     "(see DPA)' for 'Site' in measure 'ALP-1' begins with no mark: write "
     "'Client's responsibility (see DPA)' (marks are written exactly as "
     "listed)\n"
     "c/categories/01-alpha.md:8:16: error: cell 'Client\xc2\xb4s "
     "responsibility' for 'Box' in measure 'ALP-2' begins with no mark: "
     "write 'Client's responsibility' (marks are written exactly as "
     "listed)\n"
     "c/categories/01-alpha.md:8:43: error: cell 'x' for 'Site' in measure "
     "'ALP-2' begins with no mark: write 'X' (marks are written exactly as "
     "listed)\n"
     "c/categories/01-alpha.md:9:18: error: cell 'see Product Description' "
     "for 'Box' in measure 'ALP-3' begins with no mark: write 'See product "
     "description' (marks are written exactly as listed)\n"
     "c/categories/01-alpha.md:9:44: error: cell 'Client's responsibility "
     "see DPA' for 'Site' in measure 'ALP-3' has words after its mark "
     "'Client's responsibility' that no punctuation sets off: write "
     "'Client's responsibility (see DPA)' (the words are its note)\n"},
    /* German marks in English content are no marks */
    {"another language's marks",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | One | tbd | ✓ |\n"
       "| ALP-2 | Two | nein | ✓ |\n"}},
     "c/categories/01-alpha.md:7:16: error: cell 'tbd' for 'Box' in "
     "measure 'ALP-1' begins with no mark (every cell does; the text after "
     "it is its note): '\xe2\x9c\x93 tbd' reads \"Provided by us\", 'X "
     "(tbd)' reads \"Not provided\", 'NA (tbd)' reads \"Not applicable\", "
     "'Client's responsibility (tbd)' reads \"Client's responsibility\", "
     "'See product description (tbd)' reads \"See product description\"\n"
     "c/categories/01-alpha.md:8:16: error: cell 'nein' for 'Box' in "
     "measure 'ALP-2' begins with no mark (every cell does; the text after "
     "it is its note): '\xe2\x9c\x93 nein' reads \"Provided by us\", 'X "
     "(nein)' reads \"Not provided\", 'NA (nein)' reads \"Not applicable\", "
     "'Client's responsibility (nein)' reads \"Client's responsibility\", "
     "'See product description (nein)' reads \"See product description\"\n"},
    /* issue 24: N/A in four rows printed four errors about mappings
     * first; a refused row's ID is named by nothing else */
    {"a refused row is not reported again by the front matter",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\nclient_duty: [ALP-1]\n"
       "shared: [ALP-2/box]\nmappings: {ALP-1: {iso27001-2022: [A.8.1]}, "
       "ALP-2: {iso27001-2022: [A.8.1]}, ALP-9: {iso27001-2022: [A.8.1]}}\n"
       "---\n| ID | Measure | Box | Site |\n"
       "|---|---|---|---|\n| ALP-1 | One | N/A | ✓ |\n"
       "| ALP-2 | Two | ✓ we do a part | N/A |\n"}},
     "c/categories/01-alpha.md:6:78: error: mappings names 'ALP-9', which "
     "is not a measure of this category\n"
     "c/categories/01-alpha.md:10:16: error: cell 'N/A' for 'Box' in "
     "measure 'ALP-1' begins with no mark: write 'NA' (marks are written "
     "exactly as listed)\n"
     "c/categories/01-alpha.md:11:35: error: cell 'N/A' for 'Site' in "
     "measure 'ALP-2' begins with no mark: write 'NA' (marks are written "
     "exactly as listed)\n"},
    /* issue 21: a German-first content writes German headers and marks */
    {"German-first content: German headers and marks",
     {{"c/site.md", "---\norganisation: Org\ntitle: TC\nversion: \"1\"\n"
		    "date: \"2026-01-01\"\nlanguages: [de]\n---\nHallo.\n"},
      {"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Ma\xc3\x9fnahme | Box | "
       "Site |\n|---|---|---|---|\n| ALP-1 | Eins | ja | nein (RAID) |\n"
       "| ALP-2 | Zwei | X | Client's responsibility |\n\n"
       "| ID | Measure | Box |\n|---|---|---|\n| ALP-3 | Drei | ja |\n"}},
     "c/categories/01-alpha.md:8:17: error: cell 'X' for 'Box' in measure "
     "'ALP-2' begins with no mark (every cell does; the text after it is "
     "its note): '\xe2\x9c\x93 X' reads \"Provided by us\", 'nein (X)' "
     "reads \"Not provided\", 'entf\xc3\xa4llt (X)' reads \"Not "
     "applicable\", 'Verantwortung des Kunden (X)' reads \"Client's "
     "responsibility\", 'siehe Produktbeschreibung (X)' reads \"See "
     "product description\"\n"
     "c/categories/01-alpha.md:8:21: error: cell 'Client's responsibility' "
     "for 'Site' in measure 'ALP-2' begins with no mark (every cell does; "
     "the text after it is its note): '\xe2\x9c\x93 Client's "
     "responsibility' reads \"Provided by us\", 'nein (Client's "
     "responsibility)' reads \"Not provided\", 'entf\xc3\xa4llt (Client's "
     "responsibility)' reads \"Not applicable\", 'Verantwortung des Kunden "
     "(Client's responsibility)' reads \"Client's responsibility\", "
     "'siehe Produktbeschreibung (Client's responsibility)' reads \"See "
     "product description\"\n"
     "c/categories/01-alpha.md:10:7: error: table column 2 must be "
     "'Ma\xc3\x9fnahme', found 'Measure'\n"},
    {"a content language without marks",
     {{"c/site.md", "---\norganisation: Org\ntitle: TC\nversion: \"1\"\n"
		    "date: \"2026-01-01\"\nlanguages: [fr]\n---\nBonjour.\n"}},
     "c/site.md:6:13: error: the content's language 'fr' has no marks: "
     "templates/i18n/marks.json lists the marks of en, de\n"},
    {"unknown and missing front-matter keys",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ncolour: red\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n| ALP-1 | One | ✓ |\n"}},
     "c/categories/01-alpha.md:1:1: error: missing front-matter key "
     "'title'\n"
     "c/categories/01-alpha.md:3:1: error: unknown front-matter key "
     "'colour' (expected one of: id, title, client_duty, shared, mappings)\n"},
    {"wrong front-matter type",
     {{"c/site.md", "---\norganisation: [a, b]\ntitle: TC\nversion: \"1\"\n"
		    "date: \"2026-13-01\"\n---\n"}},
     "c/site.md:2:1: error: front-matter key 'organisation' must be a "
     "string\n"},
    {"bad date",
     {{"c/site.md", "---\norganisation: O\ntitle: TC\nversion: \"1\"\n"
		    "date: \"2026-13-01\"\n---\n"}},
     "c/site.md:5:1: error: date '2026-13-01' is not a date of the form "
     "YYYY-MM-DD\n"},
    {"malformed yaml",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: [unclosed\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n| ALP-1 | One | ✓ |\n"}},
     "c/categories/01-alpha.md:4:1: error: malformed YAML front matter: did "
     "not find expected ',' or ']' while parsing a flow sequence\n"},
    {"unclosed front matter",
     {{"c/categories/01-alpha.md", "---\nid: alpha\n"}},
     "c/categories/01-alpha.md:1:1: error: front matter opened here is never "
     "closed with a line \"---\"\n"},
    {"missing front matter",
     {{"c/categories/01-alpha.md", "# Alpha\n"}},
     "c/categories/01-alpha.md:1:1: error: missing front matter (the file "
     "must start with a line \"---\")\n"},
    {"broken internal links",
     {{"c/categories/02-beta.md",
       "---\nid: beta\ntitle: Beta\n---\nSee [x](/products/nope/), "
       "[y](#ALP-1), [z](/categories/alpha/#ALP-9) and "
       "[ok](/categories/alpha/#ALP-1).\n\n| ID | Measure | Box |\n"
       "|---|---|---|\n| BET-1 | One | ✓ |\n"}},
     "c/categories/02-beta.md:5:5: error: link to '/products/nope/', a page "
     "or anchor the site does not have\n"
     "c/categories/02-beta.md:5:27: error: link to '#ALP-1', a page or "
     "anchor the site does not have\n"
     "c/categories/02-beta.md:5:40: error: link to "
     "'/categories/alpha/#ALP-9', a page or anchor the site does not "
     "have\n"},
    {"unreadable file",
     {{"c/site.md", NULL}},
     "c/site.md: error: cannot read file: No such file or directory\n"},
    {"scope registry problems",
     {{"c/scopes.md", "---\nscopes:\n  - id: box\n    name: Box\n"
		      "    kind: product\n  - id: box\n    name: Box 2\n"
		      "    kind: moon\n  - id: Site\n    name: Site\n"
		      "    kind: site\n  - name: X\n    kind: site\n---\n"}},
     "c/categories/01-alpha.md:7:23: error: unknown scope 'Site' in table "
     "header (scopes are declared in scopes.md)\n"
     "c/scopes.md:6:5: error: duplicate scope id 'box'\n"
     "c/scopes.md:9:5: error: scope id 'Site' must be lower-case letters, "
     "digits and '-'\n"
     "c/scopes.md:12:5: error: missing front-matter key 'id'\n"},
    {"mappings: unknown measure, bad framework, bad control, not a map",
     {{"c/categories/02-beta.md",
       "---\nid: beta\ntitle: Beta\nmappings:\n"
       "  BET-1: {iso27001-2022: [A.7.2, \"A 7\", 8], Bad_FW: [X]}\n"
       "  BET-9: {iso27001-2022: [A.7.2]}\n"
       "  BET-2: [A.7.2]\n"
       "  BET-3: {iso: []}\n"
       "---\n"
       "| ID | Measure | Box |\n|---|---|---|\n| BET-1 | One | ✓ |\n"
       "| BET-2 | Two | ✓ |\n| BET-3 | Three | ✓ |\n"}},
     "c/categories/02-beta.md:5:34: error: control ID in mapping "
     "'iso27001-2022' of BET-1 must be letters, digits and .-_()/: (quote "
     "numbers: \"8\")\n"
     "c/categories/02-beta.md:5:41: error: control ID in mapping "
     "'iso27001-2022' of BET-1 must be letters, digits and .-_()/: (quote "
     "numbers: \"8\")\n"
     "c/categories/02-beta.md:5:45: error: mapping framework 'Bad_FW' must "
     "be a lower-case letter, then letters, digits, '-' and '.' (for "
     "example iso27001-2022)\n"
     "c/categories/02-beta.md:6:3: error: mappings names 'BET-9', which is "
     "not a measure of this category\n"
     "c/categories/02-beta.md:7:3: error: mappings of BET-2 must be a map of "
     "framework to control IDs, for example {iso27001-2022: [A.7.2]}\n"
     "c/categories/02-beta.md:8:11: error: mapping 'iso' of BET-3 must be a "
     "list of control IDs, for example [A.7.2]\n"},
    {"mappings must be a map",
     {{"c/categories/02-beta.md",
       "---\nid: beta\ntitle: Beta\nmappings: [BET-1]\n---\n"
       "| ID | Measure | Box |\n|---|---|---|\n| BET-1 | One | ✓ |\n"}},
     "c/categories/02-beta.md:4:1: error: front-matter key 'mappings' must "
     "be a map\n"},
    {"client_duty names an unknown measure",
     {{"c/categories/02-beta.md",
       "---\nid: beta\ntitle: Beta\nclient_duty: [BET-1, ALP-1]\n---\n"
       "| ID | Measure | Box |\n|---|---|---|\n| BET-1 | One | ✓ |\n"}},
     "c/categories/02-beta.md:4:22: error: client_duty names 'ALP-1', which "
     "is not a measure of this category\n"},
    {"several files, all errors reported",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\n| ID | Measure | Box | Moon |\n"
       "|---|---|---|---|\n"},
      {"c/categories/02-beta.md",
       "---\nid: alpha\ntitle: Beta\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n| BET-1 | One | ✓ | ✓ |\n"}},
     "c/categories/01-alpha.md:5:23: error: unknown scope 'Moon' in table "
     "header (scopes are declared in scopes.md)\n"
     "c/categories/02-beta.md:2:1: error: duplicate category id 'alpha'\n"
     "c/categories/02-beta.md:7:1: error: row has 4 cells, the table header "
     "has 3 (a '|' inside a cell, inline code included, needs a "
     "backslash before it)\n"},
    /* Invalid UTF-8 used to reach jansson, which refused the strings: a
     * measure vanished from the export and its category page went blank
     * (in a table), or tc-gen crashed (in prose). */
    {"invalid UTF-8 in a table cell",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\nProse.\n\n"
       "| ID | Measure | Box | Site |\n|---|---|---|---|\n"
       "| ALP-1 | One | ✓ | NA |\n| ALP-90 | Verschl\xfcsselung | ✓ | ✓ |\n"}},
     "c/categories/01-alpha.md:10:19: error: invalid UTF-8 (byte 0xfc); "
     "sources must be UTF-8\n"},
    {"invalid UTF-8 in prose and front matter",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\n---\nPro\xe2\x9c"
       "se.\n\n| ID | Measure | Box |\n|---|---|---|\n| ALP-1 | One | ✓ |\n"},
      {"c/site.md", "---\norganisation: Org \xc0\xaf\ntitle: TC\n---\n"}},
     "c/categories/01-alpha.md:5:4: error: invalid UTF-8 (byte 0xe2); "
     "sources must be UTF-8\n"
     "c/site.md:2:19: error: invalid UTF-8 (byte 0xc0); sources must be "
     "UTF-8\n"},
    {"control characters in a source",
     {{"c/scopes.md", "---\nscopes:\n  - id: box\n    name: \x1b[31mBox\n"
		      "    kind: product\n---\n"}},
     "c/categories/01-alpha.md:7:17: error: unknown scope 'Box' in table "
     "header (scopes are declared in scopes.md)\n"
     "c/categories/01-alpha.md:7:23: error: unknown scope 'Site' in table "
     "header (scopes are declared in scopes.md)\n"
     "c/scopes.md:4:11: error: control character 0x1b (only tab, line feed "
     "and carriage return are allowed in a source)\n"},
    {"control character from a YAML escape",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: \"Al\\x1bpha\"\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n| ALP-1 | One | ✓ |\n"}},
     "c/categories/01-alpha.md:3:8: error: control character in a "
     "front-matter value (only tab and line breaks are allowed)\n"},
    {"duplicate front-matter key",
     {{"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: Alpha\ntitle: Beta\n---\n| ID | Measure | Box "
       "|\n|---|---|---|\n| ALP-1 | One | ✓ |\n"}},
     "c/categories/01-alpha.md:4:1: error: duplicate front-matter key "
     "'title' (first at line 3)\n"},
    {"a day the calendar does not have",
     {{"c/site.md", "---\norganisation: O\ntitle: TC\nversion: \"1\"\n"
		    "date: \"2026-02-31\"\n---\n"}},
     "c/site.md:5:1: error: date '2026-02-31' is not a date of the form "
     "YYYY-MM-DD\n"},
    /* each a heading, a name or a link text: empty, a page says
     * "<h1></h1>" */
    {"empty required strings",
     {{"c/site.md", "---\norganisation: \" \"\ntitle: \"\"\nversion: \"1\"\n"
		    "date: \"2026-01-01\"\n---\n"},
      {"c/scopes.md", "---\nscopes:\n  - id: box\n    name: \"\\t\"\n"
		      "    kind: product\n  - id: site\n    name: Site\n"
		      "    kind: site\n---\n"},
      {"c/categories/01-alpha.md",
       "---\nid: alpha\ntitle: \"\"\n---\n| ID | Measure | Box |\n"
       "|---|---|---|\n| ALP-1 | One | ✓ |\n"}},
     "c/categories/01-alpha.md:3:1: error: front-matter key 'title' must "
     "not be empty\n"
     "c/scopes.md:4:5: error: front-matter key 'name' must not be empty\n"
     "c/site.md:2:1: error: front-matter key 'organisation' must not be "
     "empty\n"
     "c/site.md:3:1: error: front-matter key 'title' must not be empty\n"},
    {"base_url that is no http(s) URL",
     {{"c/site.md",
       "---\norganisation: O\ntitle: TC\nversion: \"1\"\n"
       "date: \"2024-02-29\"\nbase_url: \"javascript:alert(1)//\"\n"
       "---\n"}},
     "c/site.md:6:1: error: base_url 'javascript:alert(1)//' must be an "
     "http:// or https:// URL\n"},
};

static void write_base(void)
{
	put_file("c/site.md", SITE);
	put_file("c/scopes.md", SCOPES);
	put_file("c/categories/01-alpha.md", ALPHA);
}

static void run_case(const error_case *ec)
{
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	for (const file *f = ec->files; f->path; f++) {
		if (f->text)
			put_file(f->path, f->text);
		else
			unlink(f->path);
	}
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	char *got = diags_text(d);
	if (strcmp(got, ec->expected) != 0)
		print_error("case '%s'\n", ec->name);
	assert_null(m);
	assert_string_equal(got, ec->expected);
	free(got);
	tc_diags_free(d);
	leave_tmpdir(cwd, dir);
}

static void error_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		run_case(&cases[i]);
}

static void loads_valid_content(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	assert_int_equal(tc_diags_count(d), 0);
	assert_non_null(m);
	assert_string_equal(m->organisation, "Org");
	assert_int_equal(m->nscopes, 2);
	assert_int_equal(m->ncategories, 1);
	const tc_category *c = &m->categories[0];
	assert_string_equal(c->description, "Prose.");
	assert_int_equal(c->nmeasures, 2);
	assert_string_equal(c->measures[1].id, "ALP-2");
	assert_int_equal(c->measures[1].cells[1].status, ST_PROVIDED);
	assert_string_equal(c->measures[1].cells[1].note, "note");
	assert_int_equal(c->measures[1].line, 10);
	assert_true(tc_content_url_exists(m, "/categories/alpha/#ALP-1"));
	assert_true(tc_content_url_exists(m, "/products/box/"));
	assert_false(tc_content_url_exists(m, "/products/site/"));
	tc_model_free(m);
	tc_diags_free(d);
	leave_tmpdir(cwd, dir);
}

/* issue 21: a table whose only column is organisation-wide has no other
 * level, so its X is "not provided", never "not at this level"; with two
 * organisation columns it is a level table as before. */
static void single_column_level_table(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	put_file("c/scopes.md",
		 "---\nscopes:\n  - id: box\n    name: Box\n    kind: product\n"
		 "  - id: site\n    name: Site\n    kind: site\n"
		 "  - id: general\n    name: General\n    kind: organisation\n"
		 "  - id: per-product\n    name: Depends on product\n"
		 "    kind: organisation\n    per_product: true\n---\n");
	put_file(
	    "c/categories/02-beta.md",
	    "---\nid: beta\ntitle: Beta\n---\n| ID | Measure | General |\n"
	    "|---|---|---|\n| BET-1 | Policy | X |\n\n"
	    "| ID | Measure | General | Depends on product |\n"
	    "|---|---|---|---|\n| BET-2 | Training | X | \xe2\x9c\x93 |\n");
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	assert_int_equal(tc_diags_count(d), 0);
	const tc_category *c = &m->categories[1];
	assert_false(c->tables[0].level);
	assert_int_equal(c->measures[0].cells[0].status, ST_NOT_PROVIDED);
	assert_true(c->tables[1].level);
	assert_int_equal(c->measures[1].cells[0].status, ST_NOT_AT_LEVEL);
	assert_int_equal(c->measures[1].cells[1].status, ST_SEE_PRODUCT);
	tc_model_free(m);
	tc_diags_free(d);
	leave_tmpdir(cwd, dir);
}

/* The bundled content: every measure and cell of the provider's page. */
static void bundled_content(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/content", repo_root());
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load(path, d);
	char *errs = diags_text(d);
	assert_string_equal(errs, "");
	free(errs);
	size_t measures = 0, cells = 0, tables = 0, products = 0;
	for (size_t i = 0; i < m->ncategories; i++) {
		const tc_category *c = &m->categories[i];
		tables += c->ntables;
		measures += c->nmeasures;
		for (size_t k = 0; k < c->nmeasures; k++)
			cells += c->tables[c->measures[k].table].nscopes;
	}
	for (size_t i = 0; i < m->nscopes; i++)
		products += m->scopes[i].kind == SK_PRODUCT;
	assert_int_equal(m->ncategories, 10);
	assert_int_equal(tables, 13);
	assert_int_equal(measures, 51);
	assert_int_equal(cells, 353);
	assert_int_equal(products, 8);
	tc_model_free(m);
	tc_diags_free(d);
}

/* Loads c/ as it is in the current folder and compares the diagnostics. */
static void expect_load(const char *want)
{
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load("c", d);
	char *got = diags_text(d);
	assert_string_equal(got, want);
	assert_null(m);
	free(got);
	tc_diags_free(d);
}

/* What is not a regular file is refused before it is read: a symlink to
 * /dev/zero ran to 4 GB and aborted, a FIFO would wait forever, a folder
 * gave "Input/output error". Too big a file is refused unread. A file name
 * with a newline or ESC stays on its line. */
static void hostile_files(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	assert_int_equal(symlink("/dev/zero", "c/categories/02-zero.md"), 0);
	assert_int_equal(mkfifo("c/categories/03-fifo.md", 0644), 0);
	assert_int_equal(mkdir("c/categories/04-dir.md", 0755), 0);
	size_t big = 1024 * 1024 + 1;
	char *data = malloc(big);
	memset(data, 'x', big);
	assert_int_equal(tc_write_file("c/categories/05-big.md", data, big), 0);
	free(data);
	put_file("c/categories/06-x\ny\x1b.md",
		 "---\nid: alpha\ntitle: A\n---\n| ID | Measure | Box |\n"
		 "|---|---|---|\n| X-1 | x | ✓ |\n");
	assert_int_equal(
	    tc_write_file("c/categories/07-nul.md", "---\nid: n\0l\n", 12), 0);
	expect_load("c/categories/02-zero.md: error: not a regular file\n"
		    "c/categories/03-fifo.md: error: not a regular file\n"
		    "c/categories/04-dir.md: error: not a regular file\n"
		    "c/categories/05-big.md: error: file is larger than "
		    "1048576 bytes, the limit for a source\n"
		    "c/categories/06-x\\x0ay\\x1b.md:2:1: error: duplicate "
		    "category id 'alpha'\n"
		    "c/categories/07-nul.md:2:6: error: control character 0x00 "
		    "(only tab, line feed and carriage return are allowed in a "
		    "source)\n");
	leave_tmpdir(cwd, dir);
}

/* n rows of a table with the columns ID, Measure, Box. */
static void put_rows(tc_buf *b, const char *prefix, size_t from, size_t n)
{
	for (size_t i = from; i < from + n; i++)
		tc_buf_printf(b, "| %s-%zu | m | ✓ |\n", prefix, i);
}

static void table_limits(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	/* 259 columns (258 '|' without the outer ones, within the line
	 * limit); a cell of 4097 bytes */
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "---\nid: alpha\ntitle: A\n---\nID | Measure");
	for (int i = 0; i < 257; i++)
		tc_buf_puts(&b, " | Box");
	tc_buf_puts(&b, "\n---");
	for (int i = 0; i < 258; i++)
		tc_buf_puts(&b, "|---");
	tc_buf_puts(&b, "\n\n| ID | Measure | Box |\n"
			"|---|---|---|\n| ALP-1 | ");
	for (int i = 0; i < 4097; i++)
		tc_buf_putc(&b, 'y');
	tc_buf_puts(&b, " | ✓ |\n");
	put_file("c/categories/01-alpha.md", tc_buf_cstr(&b));
	/* 10,001 rows in one table */
	tc_buf_clear(&b);
	tc_buf_puts(&b, "---\nid: beta\ntitle: B\n---\n| ID | Measure | Box |\n"
			"|---|---|---|\n");
	put_rows(&b, "B", 1, 10001);
	put_file("c/categories/02-beta.md", tc_buf_cstr(&b));
	/* the measures of the site: 1 (alpha), 10,000 (beta: the rows within
	 * its limit), then the 10,000th row here is one too many; the table
	 * is refused as a whole, so its unknown column is not reported */
	tc_buf_clear(&b);
	tc_buf_puts(&b, "---\nid: gamma\ntitle: G\n---\n| ID | Measure | "
			"Moon |\n|---|---|---|\n");
	put_rows(&b, "C", 1, 10000);
	put_file("c/categories/03-gamma.md", tc_buf_cstr(&b));
	/* 40,000 '|' over a short delimiter row took cmark-gfm 18 s */
	tc_buf_clear(&b);
	tc_buf_puts(&b, "---\nid: delta\ntitle: D\n---\n|");
	for (int i = 0; i < 40000; i++)
		tc_buf_puts(&b, "a|");
	tc_buf_puts(&b, "\n|-|-|\n");
	put_file("c/categories/04-delta.md", tc_buf_cstr(&b));
	tc_buf_free(&b);
	expect_load(
	    "c/categories/01-alpha.md:5:1551: error: table has more "
	    "than 258 columns\n"
	    "c/categories/01-alpha.md:10:10: error: table cell longer "
	    "than 4096 bytes\n"
	    "c/categories/02-beta.md:10007:1: error: table has more "
	    "than 10000 rows\n"
	    "c/categories/03-gamma.md:10006:1: error: the site has more "
	    "than 20000 measures\n"
	    "c/categories/04-delta.md:5:519: error: line has more than "
	    "259 '|' (a table has at most 258 columns)\n");
	leave_tmpdir(cwd, dir);
}

/* More scopes, category files, links and bytes than anyone has: each is
 * one error. */
static void count_limits(void **state)
{
	(void)state;
	char dir[64];
	char *cwd = enter_tmpdir(dir, sizeof dir);
	write_base();
	tc_buf b = TC_BUF_INIT;
	tc_buf_puts(&b, "---\nscopes:\n");
	for (int i = 0; i < 257; i++)
		tc_buf_printf(&b, "  - {id: s%d, name: S%d, kind: site}\n", i,
			      i);
	tc_buf_puts(&b, "---\n");
	put_file("c/scopes.md", tc_buf_cstr(&b));
	tc_buf_clear(&b);
	for (int i = 2; i <= 1001; i++) {
		char path[64];
		snprintf(path, sizeof path, "c/categories/%04d.md", i);
		put_file(path, "");
	}
	expect_load("c/categories: error: more than 1000 category files\n"
		    "c/scopes.md:259:5: error: more than 256 scopes\n");
	for (int i = 2; i <= 1001; i++) {
		char path[64];
		snprintf(path, sizeof path, "c/categories/%04d.md", i);
		unlink(path);
	}
	/* 10,001 links; 17 files of 1,000,000 bytes */
	write_base();
	tc_buf_puts(&b, "---\nid: beta\ntitle: B\n---\n");
	for (int i = 0; i < 10001; i++)
		tc_buf_puts(&b, "[a](#x)\n");
	tc_buf_puts(&b, "\n| ID | Measure | Box |\n|---|---|---|\n"
			"| BET-1 | m | ✓ |\n");
	put_file("c/categories/02-beta.md", tc_buf_cstr(&b));
	/* no front matter: read and counted, but not parsed, which keeps the
	 * test fast under valgrind */
	tc_buf_clear(&b);
	while (b.len < 1000000)
		tc_buf_puts(&b, b.len % 80 ? "x" : "\n");
	tc_buf want = TC_BUF_INIT;
	/* the site's intro has a link: beta's 10,000th is one too many */
	tc_buf_puts(&want, "c/categories/02-beta.md:10004:1: error: more than "
			   "10000 links in the content\n");
	for (int i = 3; i < 20; i++) {
		char path[64];
		snprintf(path, sizeof path, "c/categories/%02d-big.md", i);
		put_file(path, tc_buf_cstr(&b));
		if (i < 19)
			tc_buf_printf(
			    &want,
			    "%s:1:1: error: missing front matter (the "
			    "file must start with a line \"---\")\n",
			    path);
	}
	tc_buf_free(&b);
	tc_buf_puts(&want, "c/categories/19-big.md: error: the content is "
			   "larger than 16777216 bytes with this file\n");
	expect_load(tc_buf_cstr(&want));
	tc_buf_free(&want);
	leave_tmpdir(cwd, dir);
}

/* The loader on sources in memory sees what it sees on disk. */
static void loads_from_memory(void **state)
{
	(void)state;
	static const char bad[] = "---\nid: beta\ntitle: B\n---\n| ID | "
				  "Measure | Box |\n|---|---|---|\n| B-1 | "
				  "\xff | ✓ |\n";
	tc_content_file files[] = {
	    {"c/site.md", SITE, strlen(SITE)},
	    {"c/scopes.md", SCOPES, strlen(SCOPES)},
	    {"c/categories/01-alpha.md", ALPHA, strlen(ALPHA)},
	    {"c/categories/02-beta.md", bad, sizeof bad - 1},
	};
	tc_diags *d = tc_diags_new();
	tc_model *m = tc_content_load_mem("c", files, 3, d);
	assert_int_equal(tc_diags_count(d), 0);
	assert_int_equal(m->ncategories, 1);
	assert_int_equal(m->categories[0].nmeasures, 2);
	tc_model_free(m);
	assert_null(tc_content_load_mem("c", files, 4, d));
	assert_null(tc_content_load_mem("c", files, 0, d));
	char *got = diags_text(d);
	assert_string_equal(
	    got, "c/categories: error: no category files (*.md)\n"
		 "c/categories/02-beta.md:7:9: error: invalid UTF-8 (byte "
		 "0xff); sources must be UTF-8\n"
		 "c/scopes.md: error: cannot read file: No such file or "
		 "directory\n"
		 "c/site.md: error: cannot read file: No such file or "
		 "directory\n");
	free(got);
	tc_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(error_cases),
	    cmocka_unit_test(loads_valid_content),
	    cmocka_unit_test(single_column_level_table),
	    cmocka_unit_test(bundled_content),
	    cmocka_unit_test(hostile_files),
	    cmocka_unit_test(table_limits),
	    cmocka_unit_test(count_limits),
	    cmocka_unit_test(loads_from_memory),
	};
	return cmocka_run_group_tests_name("content", tests, NULL, NULL);
}
