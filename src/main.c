/* placeholder main */
#include "casus.h"
int main(void) { return 0; }
