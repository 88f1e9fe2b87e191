/* libpg_query's own costs on a corpus, to choose how MigSQL calls it: CPU time per statement,
 * best of five, for splitting with each splitter, parsing the whole file in one call, and
 * parsing statement by statement to JSON and to protobuf. run.sh compiles and runs it. */
#include <pg_query.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu(void) {
    struct timespec now;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return now.tv_sec + now.tv_nsec / 1e9;
}

static char *text;
static PgQuerySplitResult split;

static void split_parser(void) { pg_query_free_split_result(pg_query_split_with_parser(text)); }
static void split_scanner(void) { pg_query_free_split_result(pg_query_split_with_scanner(text)); }
static void whole_json(void) { pg_query_free_parse_result(pg_query_parse(text)); }

static void each(int protobuf) {
    for (int i = 0; i < split.n_stmts; i++) {
        char *statement = strndup(text + split.stmts[i]->stmt_location, split.stmts[i]->stmt_len);
        if (protobuf) pg_query_free_protobuf_parse_result(pg_query_parse_protobuf(statement));
        else pg_query_free_parse_result(pg_query_parse(statement));
        free(statement);
    }
}
static void each_json(void) { each(0); }
static void each_protobuf(void) { each(1); }

static void row(const char *name, void (*body)(void)) {
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        double start = cpu();
        body();
        double elapsed = cpu() - start;
        if (elapsed < best) best = elapsed;
    }
    printf("| %s | %.1f | %.0f |\n", name, best / split.n_stmts * 1e6, split.n_stmts / best);
}

int main(int argc, char **argv) {
    FILE *file = argc == 2 ? fopen(argv[1], "rb") : NULL;
    if (!file) { fprintf(stderr, "usage: libpg_query CORPUS\n"); return 2; }
    fseek(file, 0, SEEK_END);
    long length = ftell(file);
    fseek(file, 0, SEEK_SET);
    text = malloc(length + 1);
    if (fread(text, 1, length, file) != (size_t)length) return 1;
    text[length] = 0;
    split = pg_query_split_with_parser(text);
    if (split.error) { fprintf(stderr, "%s\n", split.error->message); return 1; }
    printf("| libpg_query call | µs/statement | statements/s |\n|---|---:|---:|\n");
    row("`pg_query_split_with_parser`, whole file", split_parser);
    row("`pg_query_split_with_scanner`, whole file", split_scanner);
    row("`pg_query_parse`, whole file", whole_json);
    row("`pg_query_parse`, each statement", each_json);
    row("`pg_query_parse_protobuf`, each statement", each_protobuf);
    return 0;
}
