/// The sizes of one grouped, strided, padded, dilated 2-D convolution over NCHW images.
///
/// The *image* side is what the convolution reads (`imageChannels × height × width`) and the
/// *output* side what it writes (`outChannels × outHeight × outWidth`). A transposed
/// convolution is the same geometry with the two sides swapped: its forward pass is this
/// geometry's data gradient and its data gradient is this geometry's forward pass, so one set
/// of kernels serves both ops. The weight is always `[outChannels, imageChannels/groups, kh, kw]`.
struct ConvGeometry: Equatable, Sendable {
    var batch: Int
    var imageChannels: Int
    var height: Int
    var width: Int
    var outChannels: Int
    var outHeight: Int
    var outWidth: Int
    var kernelH: Int
    var kernelW: Int
    var strideH: Int
    var strideW: Int
    var padH: Int
    var padW: Int
    var dilationH: Int
    var dilationW: Int
    var groups: Int

    /// A geometry from the two sides' `(channels, height, width)` and the kernel arguments
    /// as `(vertical, horizontal)` pairs.
    init(batch: Int, image: (Int, Int, Int), output: (Int, Int, Int), kernel: (Int, Int), stride: (Int, Int),
         padding: (Int, Int), dilation: (Int, Int), groups: Int) {
        self.batch = batch
        (imageChannels, height, width) = image
        (outChannels, outHeight, outWidth) = output
        (kernelH, kernelW) = kernel
        (strideH, strideW) = stride
        (padH, padW) = padding
        (dilationH, dilationW) = dilation
        self.groups = groups
    }

    var imageChannelsPerGroup: Int { imageChannels / groups }
    var outChannelsPerGroup: Int { outChannels / groups }
    var imagePlane: Int { height * width }
    var outPlane: Int { outHeight * outWidth }
    var kernelArea: Int { kernelH * kernelW }
    /// Rows of one group's column matrix: image channels per group × kernel taps.
    var columnRows: Int { imageChannelsPerGroup * kernelArea }
    /// Elements of one image's column matrix over all groups.
    var columnsPerImage: Int { imageChannels * kernelArea * outPlane }
    /// Elements of one weight group: `[outChannels/groups, columnRows]`.
    var weightGroupSize: Int { outChannelsPerGroup * columnRows }

    /// A 1×1, stride-1, unpadded convolution is a plain matrix product per image.
    var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
            && outHeight == height && outWidth == width
    }

    /// Each output channel reads one image channel (depthwise, with any channel multiplier):
    /// the direct kernels beat a GEMM whose inner dimension is only the kernel area.
    var isDepthwise: Bool { imageChannelsPerGroup == 1 }

    /// The output size along one axis, PyTorch's `floor((in + 2p − d(k−1) − 1)/s) + 1`
    /// (may be ≤ 0 for a kernel larger than the padded input; callers reject that).
    static func outputSize(input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        let span = input + 2 * padding - dilation * (kernel - 1) - 1
        return span < 0 ? 0 : span / stride + 1
    }
}
