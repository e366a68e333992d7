/* Writes the JPEG fixtures of this folder with libjpeg-turbo (quality 100, 4:4:4, baseline):
     cc make-jpeg-fixtures.c -ljpeg -o /tmp/mk && /tmp/mk
   blocks-rgb.jpg  16x16 RGB, four flat 8x8 blocks (one per MCU): red, green, blue, (200,120,40)
   blocks-grey.jpg 16x16 grey, four flat 8x8 blocks: 0, 85, 170, 255
   cmyk.jpg        8x8 CMYK (Adobe), which the decoder must refuse */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>

static void save(const char *name, int w, int h, int comps, J_COLOR_SPACE space, const unsigned char *px) {
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr e;
    FILE *f = fopen(name, "wb");
    if (!f) { perror(name); exit(1); }
    c.err = jpeg_std_error(&e);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = w;
    c.image_height = h;
    c.input_components = comps;
    c.in_color_space = space;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 100, TRUE);
    for (int i = 0; i < c.num_components; i++) {
        c.comp_info[i].h_samp_factor = 1;
        c.comp_info[i].v_samp_factor = 1;
    }
    jpeg_start_compress(&c, TRUE);
    while (c.next_scanline < c.image_height) {
        JSAMPROW row = (JSAMPROW)(px + (size_t)c.next_scanline * w * comps);
        jpeg_write_scanlines(&c, &row, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    fclose(f);
}

int main(void) {
    const unsigned char colours[4][3] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {200, 120, 40}};
    const unsigned char greys[4] = {0, 85, 170, 255};
    unsigned char rgb[16 * 16 * 3], grey[16 * 16], cmyk[8 * 8 * 4];
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 16; x++) {
            int b = (y / 8) * 2 + x / 8;
            for (int k = 0; k < 3; k++) rgb[(y * 16 + x) * 3 + k] = colours[b][k];
            grey[y * 16 + x] = greys[b];
        }
    for (int i = 0; i < 8 * 8 * 4; i++) cmyk[i] = (unsigned char)(i * 7);
    save("blocks-rgb.jpg", 16, 16, 3, JCS_RGB, rgb);
    save("blocks-grey.jpg", 16, 16, 1, JCS_GRAYSCALE, grey);
    save("cmyk.jpg", 8, 8, 4, JCS_CMYK, cmyk);
    return 0;
}
