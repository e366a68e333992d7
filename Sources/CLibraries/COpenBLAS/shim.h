#include <cblas.h>
/* openblas_set_num_threads is declared in OpenBLAS's cblas.h; repeated here for builds whose
   cblas.h is the reference one. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
