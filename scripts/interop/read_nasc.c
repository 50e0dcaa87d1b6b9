/* read_nasc.c: a small, independent reader of nasc protobuf files built on protobuf-c (interop test).
 *
 * Prints the same lines as read_nasc.py:
 *   format_version <v> / producer <p>
 *   space <name> root <root>, then per graph "graph <name> nodes <n>" and "  <node> <op kind>" lines,
 *   then "value_choice <label> <number of values>" lines;
 *   or "architecture decisions <n>" and "  <label> candidate|inputs|value ..." lines.
 * (Plan payloads: later.) Build: cc read_nasc.c nasc.pb-c.c -lprotobuf-c, with protoc-c's output on the include path.
 */
#include <stdio.h>
#include <stdlib.h>
#include "nasc.pb-c.h"

static void print_scalar(const Nasc__Ir__Scalar *s) {
  switch (s->value_case) {
  case NASC__IR__SCALAR__VALUE_INT_VALUE: printf("int %lld", (long long)s->int_value); break;
  case NASC__IR__SCALAR__VALUE_FLOAT_VALUE: printf("float %.17g", s->float_value); break;
  default: printf("unset"); break;
  }
}

static void print_space(const Nasc__Ir__ModelSpace *s) {
  printf("space %s root %s\n", s->name, s->root);
  for (size_t g = 0; g < s->n_graphs; g++) {
    const Nasc__Ir__Graph *graph = s->graphs[g];
    printf("graph %s nodes %zu\n", graph->name, graph->n_nodes);
    for (size_t n = 0; n < graph->n_nodes; n++) printf("  %s %s\n", graph->nodes[n]->name, graph->nodes[n]->op);
  }
  for (size_t v = 0; v < s->n_value_choices; v++)
    printf("value_choice %s %zu\n", s->value_choices[v]->label, s->value_choices[v]->n_values);
}

static void print_architecture(const Nasc__Ir__Architecture *a) {
  printf("architecture decisions %zu\n", a->n_decisions);
  for (size_t i = 0; i < a->n_decisions; i++) {
    const Nasc__Ir__ArchitectureEntry *e = a->decisions[i];
    printf("  %s ", e->label);
    const Nasc__Ir__DecisionValue *d = e->value;
    if (d == NULL || d->decision_case == NASC__IR__DECISION_VALUE__DECISION__NOT_SET) {
      printf("unset");
    } else if (d->decision_case == NASC__IR__DECISION_VALUE__DECISION_CANDIDATE) {
      printf("candidate %s", d->candidate);
    } else if (d->decision_case == NASC__IR__DECISION_VALUE__DECISION_INPUTS) {
      printf("inputs");
      for (size_t k = 0; k < d->inputs->n_values; k++) printf(" %lld", (long long)d->inputs->values[k]);
    } else {
      printf("value ");
      print_scalar(d->value);
    }
    printf("\n");
  }
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: read_nasc FILE.pb\n");
    return 2;
  }
  const char *path = argv[1];
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "%s: error: cannot open file\n", path);
    return 1;
  }
  size_t cap = 1 << 16, len = 0;
  unsigned char *buf = malloc(cap);
  for (;;) {
    if (buf == NULL) { fprintf(stderr, "%s: error: out of memory\n", path); fclose(f); return 1; }
    len += fread(buf + len, 1, cap - len, f);
    if (len < cap) break;
    cap *= 2;
    buf = realloc(buf, cap);
  }
  int read_error = ferror(f);
  fclose(f);
  if (read_error) { fprintf(stderr, "%s: error: cannot read file\n", path); free(buf); return 1; }

  Nasc__Ir__NascFile *file = nasc__ir__nasc_file__unpack(NULL, len, buf);
  free(buf);
  if (file == NULL) {
    fprintf(stderr, "%s: error: not a valid nasc.ir.NascFile\n", path);
    return 1;
  }
  printf("format_version %u\n", file->format_version);
  printf("producer %s\n", file->producer);
  int status = 0;
  switch (file->payload_case) {
  case NASC__IR__NASC_FILE__PAYLOAD_SPACE: print_space(file->space); break;
  case NASC__IR__NASC_FILE__PAYLOAD_ARCHITECTURE: print_architecture(file->architecture); break;
  default:
    fprintf(stderr, "%s: error: file has no payload\n", path);
    status = 1;
  }
  nasc__ir__nasc_file__free_unpacked(file, NULL);
  return status;
}
