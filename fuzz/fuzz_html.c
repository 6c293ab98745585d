/*
 * fuzz_html.c - libFuzzer harness for the HTML reader (read_html.c) and the
 * text stages after it; the checks are in fuzz_reader.h.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader(data, size, CASUS_FORMAT_HTML, ".html");
}
