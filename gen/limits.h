/* limits.h: the bounds tc-gen puts on its input.
 *
 * No real TOM comes near any of them (the bundled content: 4 KiB files, 7
 * columns, 272-byte cells; the largest benchmark site: 80 KiB files, 102
 * columns). They exist so that a hostile or broken source (a symlink to
 * /dev/zero, a YAML alias bomb, a million '[') ends in a clear error in
 * well under a second instead of gigabytes and minutes. Each one is a
 * diagnostic at the offending position, listed in the README ("Limits and
 * fuzzing") and in tc-gen(1). */
#ifndef TC_LIMITS_H
#define TC_LIMITS_H

/* Bytes in one source file (content or template). */
#define TC_MAX_FILE_BYTES (1024 * 1024)
/* Bytes of all content files together: with the per-file limit alone,
 * 1,000 category files could still be a gigabyte. */
#define TC_MAX_CONTENT_BYTES (16 * 1024 * 1024)
/* Links in the prose of the whole site: each is checked against every
 * page, and kept until then. */
#define TC_MAX_LINKS 10000
/* Nesting of mappings and sequences in a front matter. */
#define TC_MAX_FM_DEPTH 32
/* Values in a front matter (keys, scalars, mappings, sequences), each alias
 * counted as the values it stands for. */
#define TC_MAX_FM_NODES 10000
/* Bytes of one front-matter scalar (a key or a value). Names, titles and
 * the organisation go into every page: an organisation of 900 KB made
 * 610 MB of pages. Twice a table cell, because a translation's front
 * matter holds the measure texts and notes of its tables (the longest
 * bundled scalar has 314 bytes). */
#define TC_MAX_FM_SCALAR_BYTES 8192
/* Scopes in scopes.md. */
#define TC_MAX_SCOPES 256
/* languages of site.md, the content's own included */
#define TC_MAX_LANGUAGES 8
/* Files in categories/. */
#define TC_MAX_CATEGORIES 1000
/* Columns of a measure table (ID, Measure and the scopes). */
#define TC_MAX_TABLE_COLUMNS 258
/* Rows of one measure table, and measures of the whole site. */
#define TC_MAX_TABLE_ROWS 10000
#define TC_MAX_MEASURES 20000
/* Bytes of one table cell's text. */
#define TC_MAX_CELL_BYTES 4096
/* What one language's site may write: 1 GiB, 3.4 times the benchmark's L
 * site (200,000 cells, 297 MB); a few hundred kilobytes of content with
 * many products once asked for tens of gigabytes of comparison pages. */
#define TC_MAX_SITE_BYTES ((size_t)1 << 30)
/* A release file holds a version's data set twice (data and tom.json):
 * the benchmark's L site (200,000 cells) makes a 60 MB release with
 * 2,030,000 values, the bundled content 144 KB. Twice L for one file; all
 * releases together four times (a release of the bundled content's size
 * every week for 35 years). jansson builds about 7 bytes of memory per
 * byte of such a file, and 77 per byte of a file of empty objects
 * (12.6 MB of "{}," took 968 MB): values are counted before it sees them. */
#define TC_MAX_RELEASE_BYTES (128 * 1024 * 1024)
#define TC_MAX_RELEASES_BYTES (256 * 1024 * 1024)
#define TC_MAX_RELEASE_VALUES (4 * 1024 * 1024)
/* Objects and arrays of a release (L: 410,000), the dear values: an empty
 * object is about 230 bytes of jansson's, an empty string 60. */
#define TC_MAX_RELEASE_CONTAINERS (1024 * 1024)
/* Files in releases/. */
#define TC_MAX_RELEASES 1000
/* Bytes of one string of a release as written: no source holds a longer
 * one than a file (1 MiB), and \u escapes write a byte as at most 3. A
 * release's summary is site.md's, at most TC_MAX_FM_SCALAR_BYTES. */
#define TC_MAX_RELEASE_STRING_BYTES (4 * 1024 * 1024)

#endif
