#include <stddef.h>
#include <cblas.h>
/* openblas_set_num_threads is declared in OpenBLAS's cblas.h; repeated here for builds whose
   cblas.h is the reference one. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

/* The LAPACK routines OpenBLAS exports, by their Fortran symbols: Debian's libopenblas-dev ships
   no lapacke.h. Arguments go by pointer and matrices are column-major; the trailing size_t
   arguments are the hidden lengths gfortran passes for CHARACTER arguments (always 1 here). */
void spotrf_(const char *uplo, const int *n, float *a, const int *lda, int *info, size_t uplo_len);
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info, size_t uplo_len);
void ssyevd_(const char *jobz, const char *uplo, const int *n, float *a, const int *lda, float *w,
             float *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info,
             size_t jobz_len, size_t uplo_len);
void sgesdd_(const char *jobz, const int *m, const int *n, float *a, const int *lda, float *s,
             float *u, const int *ldu, float *vt, const int *ldvt, float *work, const int *lwork,
             int *iwork, int *info, size_t jobz_len);
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
             double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
             int *iwork, int *info, size_t jobz_len);
