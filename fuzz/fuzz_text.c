/*
 * fuzz_text.c - libFuzzer harness for the plain-text reader (read_text.c)
 * and the text stages after it; the checks are in fuzz_reader.h.
 */
#include "fuzz_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_reader(data, size, CASUS_FORMAT_TEXT, ".txt");
}
