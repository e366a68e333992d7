#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jerror.h>

/* libjpeg reports fatal errors by calling error_exit, which must not return. Swift frames
   cannot be jumped over, so the whole decode lives in this C function: it installs an error
   manager whose error_exit longjmps back here, and every failure comes out as a status code
   with libjpeg's message copied into the caller's buffer. */

enum {
    ZR_JPEG_OK = 0,
    ZR_JPEG_CORRUPT = 1,     /* libjpeg rejected the data */
    ZR_JPEG_TOO_LARGE = 2,   /* declared dimensions beyond the caller's limits */
    ZR_JPEG_UNSUPPORTED = 3, /* a colour space other than grey, YCbCr or RGB */
    ZR_JPEG_BUFFER = 4       /* the caller's buffer is smaller than width*height*channels */
};

/* Progressive files may hold any number of scans; each costs a pass over the image. */
#define ZR_JPEG_MAX_SCANS 1000

typedef struct {
    struct jpeg_error_mgr mgr; /* first, so cinfo->err can be cast back */
    struct jpeg_progress_mgr progress;
    jmp_buf jump;
    char *message;
    size_t message_size;
} zr_jpeg_error;

static void zr_jpeg_set_message(zr_jpeg_error *e, const char *text) {
    if (e->message && e->message_size > 0) {
        strncpy(e->message, text, e->message_size - 1);
        e->message[e->message_size - 1] = '\0';
    }
}

static void zr_jpeg_error_exit(j_common_ptr cinfo) {
    zr_jpeg_error *e = (zr_jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    zr_jpeg_set_message(e, text);
    longjmp(e->jump, 1);
}

/* Warnings are not printed. */
static void zr_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

/* libjpeg only warns about damaged data and carries on: a truncated file ("Premature end of
   JPEG file") decodes "successfully" with grey padding. Those warnings are errors here;
   benign metadata warnings (an unknown JFIF revision or Adobe transform) are not. */
static void zr_jpeg_emit_message(j_common_ptr cinfo, int msg_level) {
    if (msg_level >= 0) return; /* trace messages */
    switch (cinfo->err->msg_code) {
    case JWRN_JFIF_MAJOR:
    case JWRN_ADOBE_XFORM:
        return;
    default:
        zr_jpeg_error_exit(cinfo);
    }
}

static void zr_jpeg_progress(j_common_ptr cinfo) {
    if (cinfo->is_decompressor && ((j_decompress_ptr)cinfo)->input_scan_number > ZR_JPEG_MAX_SCANS) {
        zr_jpeg_error *e = (zr_jpeg_error *)cinfo->err;
        zr_jpeg_set_message(e, "more than 1000 progressive scans");
        longjmp(e->jump, 1);
    }
}

/* Decodes a JPEG held in memory, in two phases.
   Phase 1 (out == NULL): reads the header, checks width, height and channel count against
   max_side and max_values, and reports them; nothing image-sized is allocated.
   Phase 2 (out != NULL): does the same, then decodes interleaved 8-bit samples (grey: 1
   channel; YCbCr or RGB: 3 channels, RGB order) into out, which holds out_size bytes.
   Returns a ZR_JPEG_* code; on failure, message holds a NUL-terminated explanation. */
static inline int zr_jpeg_decode(const unsigned char *data, size_t size, long max_side, long long max_values,
                                 unsigned char *out, size_t out_size, int *width, int *height, int *channels,
                                 char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    zr_jpeg_error err;
    volatile int status = ZR_JPEG_CORRUPT;
    memset(&cinfo, 0, sizeof cinfo);
    memset(&err, 0, sizeof err);
    err.message = message;
    err.message_size = message_size;
    if (message && message_size > 0) message[0] = '\0';
    *width = 0;
    *height = 0;
    *channels = 0;

    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = zr_jpeg_error_exit;
    err.mgr.output_message = zr_jpeg_output_message;
    err.mgr.emit_message = zr_jpeg_emit_message;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return status;
    }
    jpeg_create_decompress(&cinfo);
    err.progress.progress_monitor = zr_jpeg_progress;
    cinfo.progress = &err.progress;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);

    int comps;
    switch (cinfo.jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo.out_color_space = JCS_GRAYSCALE;
        comps = 1;
        break;
    case JCS_YCbCr:
    case JCS_RGB:
        cinfo.out_color_space = JCS_RGB;
        comps = 3;
        break;
    default:
        zr_jpeg_set_message(&err, cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK
                                      ? "CMYK/YCCK colour is not supported (convert to RGB)"
                                      : "colour space is not grey, YCbCr or RGB");
        jpeg_destroy_decompress(&cinfo);
        return ZR_JPEG_UNSUPPORTED;
    }
    long w = (long)cinfo.image_width, h = (long)cinfo.image_height;
    *width = (int)w;
    *height = (int)h;
    *channels = comps;
    if (w <= 0 || h <= 0 || w > max_side || h > max_side || (long long)w * h * comps > max_values) {
        zr_jpeg_set_message(&err, "declared dimensions exceed the limit");
        jpeg_destroy_decompress(&cinfo);
        return ZR_JPEG_TOO_LARGE;
    }
    if (out == NULL) {
        jpeg_destroy_decompress(&cinfo);
        return ZR_JPEG_OK;
    }
    if ((unsigned long long)w * h * comps > (unsigned long long)out_size) {
        zr_jpeg_set_message(&err, "output buffer too small");
        jpeg_destroy_decompress(&cinfo);
        return ZR_JPEG_BUFFER;
    }
    jpeg_start_decompress(&cinfo);
    if ((long)cinfo.output_width != w || (long)cinfo.output_height != h || cinfo.output_components != comps) {
        zr_jpeg_set_message(&err, "decoder output shape differs from the header");
        jpeg_destroy_decompress(&cinfo);
        return ZR_JPEG_CORRUPT;
    }
    size_t row_bytes = (size_t)w * (size_t)comps;
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out + (size_t)cinfo.output_scanline * row_bytes;
        if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) {
            zr_jpeg_set_message(&err, "decoder returned no scanline");
            jpeg_destroy_decompress(&cinfo);
            return ZR_JPEG_CORRUPT;
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    status = ZR_JPEG_OK;
    return status;
}
