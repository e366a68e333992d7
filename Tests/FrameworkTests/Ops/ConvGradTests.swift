import TestSupport
import Testing
@testable import Framework

/// One convolution configuration: shapes and arguments.
struct ConvCase: CustomTestStringConvertible, Sendable {
    var input: [Int]
    var weight: [Int]
    var stride = (1, 1)
    var padding = (0, 0)
    var dilation = (1, 1)
    var outputPadding = (0, 0)
    var groups = 1
    var bias = true
    var label: String

    var testDescription: String { label }
}

@Suite("conv2d and convTranspose2d gradients")
struct ConvGradTests {
    static let convCases: [ConvCase] = [
        ConvCase(input: [2, 3, 7, 5], weight: [4, 3, 3, 3], padding: (1, 1), label: "3×3 odd sizes, padding"),
        ConvCase(input: [2, 3, 7, 5], weight: [4, 3, 3, 3], stride: (2, 2), padding: (1, 1), bias: false, label: "stride 2"),
        ConvCase(input: [1, 2, 4, 37], weight: [3, 2, 3, 3], stride: (2, 2), padding: (1, 1), label: "stride 2, rows of several vectors"),
        ConvCase(input: [1, 2, 7, 6], weight: [3, 2, 3, 2], stride: (2, 1), padding: (0, 1), label: "asymmetric stride, padding, kernel"),
        ConvCase(input: [1, 2, 7, 7], weight: [3, 2, 3, 3], padding: (2, 1), dilation: (2, 2), label: "dilation 2"),
        ConvCase(input: [1, 2, 6, 7], weight: [2, 2, 3, 3], padding: (2, 2), dilation: (2, 2), label: "dilation 2, same size"),
        ConvCase(input: [1, 2, 5, 6], weight: [3, 2, 5, 5], padding: (1, 2), label: "5×5, same width, shrinking height"),
        ConvCase(input: [2, 4, 6, 5], weight: [6, 2, 3, 3], padding: (1, 1), groups: 2, label: "groups 2"),
        ConvCase(input: [1, 2, 9, 7], weight: [3, 2, 5, 4], stride: (2, 3), padding: (2, 1), label: "kernel larger than stride"),
        ConvCase(input: [2, 4, 5, 3], weight: [6, 4, 1, 1], label: "1×1 fast path"),
        ConvCase(input: [2, 4, 3, 5], weight: [6, 2, 1, 1], groups: 2, bias: false, label: "1×1 fast path, groups 2"),
        ConvCase(input: [1, 3, 7, 5], weight: [2, 3, 1, 1], stride: (2, 2), label: "1×1 stride 2 (im2col)"),
        ConvCase(input: [2, 3, 7, 5], weight: [3, 1, 3, 3], padding: (1, 1), groups: 3, label: "depthwise 3×3"),
        ConvCase(input: [2, 3, 7, 6], weight: [3, 1, 3, 3], stride: (2, 2), padding: (1, 1), groups: 3, bias: false, label: "depthwise stride 2"),
        ConvCase(input: [1, 2, 9, 8], weight: [2, 1, 3, 3], padding: (2, 2), dilation: (2, 2), groups: 2, label: "depthwise dilation 2"),
        ConvCase(input: [1, 2, 8, 9], weight: [2, 1, 7, 7], padding: (3, 3), groups: 2, label: "depthwise 7×7"),
        ConvCase(input: [1, 2, 5, 19], weight: [2, 1, 3, 3], padding: (1, 1), groups: 2, label: "depthwise, rows of several vectors"),
        ConvCase(input: [1, 2, 6, 11], weight: [4, 1, 3, 3], stride: (1, 2), padding: (1, 0), groups: 2, label: "depthwise, channel multiplier 2"),
        ConvCase(input: [1, 2, 6, 9], weight: [2, 1, 3, 5], padding: (1, 2), groups: 2, label: "depthwise 3×5 (taps in a group of four and one)"),
        ConvCase(input: [1, 2, 5, 9], weight: [2, 1, 2, 6], padding: (1, 3), groups: 2, bias: false, label: "depthwise 2×6 (taps four and two)"),
        ConvCase(input: [1, 20, 7, 6], weight: [20, 1, 5, 5], stride: (2, 2), padding: (2, 2), groups: 20,
                 label: "depthwise, 20 channels: a full and a partial block of sixteen lanes"),
        ConvCase(input: [2, 1, 6, 5], weight: [3, 1, 3, 3], stride: (2, 1), padding: (0, 2), label: "one input channel (direct kernel)"),
    ]

    @Test("conv2d matches the Float64 reference and finite differences", arguments: convCases)
    func conv(_ c: ConvCase) throws {
        var inputs = [GradInput(c.input), GradInput(c.weight)]
        if c.bias { inputs.append(GradInput([c.weight[0]])) }
        try checkGradients("conv2d \(c.label)", inputs: inputs, op: { t in
            try t[0].conv2d(weight: t[1], bias: c.bias ? t[2] : nil, stride: c.stride, padding: c.padding,
                            dilation: c.dilation, groups: c.groups)
        }, reference: { r in
            refConv2d(r[0], r[1], c.bias ? r[2] : nil, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
        })
    }

    static let transposeCases: [ConvCase] = [
        ConvCase(input: [2, 3, 4, 5], weight: [3, 2, 3, 3], label: "3×3 stride 1"),
        ConvCase(input: [1, 4, 3, 4], weight: [4, 3, 3, 3], stride: (2, 2), padding: (1, 1), outputPadding: (1, 1), groups: 2,
                 label: "stride 2, outputPadding 1, groups 2"),
        ConvCase(input: [2, 2, 3, 4], weight: [2, 3, 4, 3], stride: (3, 2), padding: (1, 0), outputPadding: (2, 1), bias: false,
                 label: "asymmetric stride and outputPadding"),
        ConvCase(input: [1, 2, 4, 3], weight: [2, 3, 3, 3], dilation: (2, 2), outputPadding: (1, 1),
                 label: "dilation 2, outputPadding ≥ stride"),
        ConvCase(input: [1, 3, 4, 5], weight: [3, 1, 3, 3], stride: (2, 2), padding: (1, 1), outputPadding: (1, 0), groups: 3,
                 label: "depthwise stride 2"),
        ConvCase(input: [2, 3, 4, 4], weight: [3, 5, 1, 1], label: "1×1"),
    ]

    @Test("convTranspose2d matches the Float64 reference and finite differences", arguments: transposeCases)
    func transpose(_ c: ConvCase) throws {
        var inputs = [GradInput(c.input), GradInput(c.weight)]
        if c.bias { inputs.append(GradInput([c.weight[1] * c.groups])) }
        try checkGradients("convTranspose2d \(c.label)", inputs: inputs, op: { t in
            try t[0].convTranspose2d(weight: t[1], bias: c.bias ? t[2] : nil, stride: c.stride, padding: c.padding,
                                     outputPadding: c.outputPadding, dilation: c.dilation, groups: c.groups)
        }, reference: { r in
            refConvTranspose2d(r[0], r[1], c.bias ? r[2] : nil, stride: c.stride, padding: c.padding,
                               outputPadding: c.outputPadding, dilation: c.dilation, groups: c.groups)
        })
    }

    @Test("only inputs that require grad get gradients")
    func skipsFrozenInputs() throws {
        var rng = RandomGenerator(seed: 3)
        let x = try Tensor.randn([2, 3, 6, 6], using: &rng)
        let w = try Tensor.randn([4, 3, 3, 3], using: &rng)
        w.requiresGrad = true
        let y = try x.conv2d(weight: w, padding: (1, 1))
        try y.sum().backward()
        #expect(x.grad == nil)
        #expect(w.grad?.shape == [4, 3, 3, 3])
    }

    @Test("an empty batch gives an empty output and a zero weight gradient")
    func emptyBatch() throws {
        let x = try Tensor.zeros([0, 3, 5, 5])
        let w = try Tensor(shape: [4, 3, 3, 3], storage: [Float](repeating: 1, count: 108), requiresGrad: true)
        let y = try x.conv2d(weight: w)
        #expect(y.shape == [0, 4, 3, 3])
        try y.backward(Tensor.zeros([0, 4, 3, 3]))
        #expect(w.grad?.storage == [Float](repeating: 0, count: 108))
    }

    /// Forward, data and weight gradient of `g` through the kernels with the given column
    /// budget and batching threshold.
    static func convProducts(_ g: ConvGeometry, seed: UInt64, budget: Int, batchedBelow: Int) throws -> ([Float], [Float], [Float]) {
        var rng = RandomGenerator(seed: seed)
        let x = try Tensor.randn([g.batch, g.imageChannels, g.height, g.width], using: &rng)
        let w = try Tensor.randn([g.outChannels, g.imageChannels / g.groups, g.kernelH, g.kernelW], using: &rng)
        let dy = try Tensor.randn([g.batch, g.outChannels, g.outHeight, g.outWidth], using: &rng)
        var y = [Float](repeating: 0, count: dy.count), dx = [Float](repeating: 0, count: x.count)
        var dw = [Float](repeating: 0, count: w.count)
        x.storage.withUnsafeBufferPointer { px in w.storage.withUnsafeBufferPointer { pw in
            dy.storage.withUnsafeBufferPointer { pg in
                y.withUnsafeMutableBufferPointer { py in
                    ConvKernels.forward(g, input: px.baseAddress!, weight: pw.baseAddress!, bias: nil,
                                        output: py.baseAddress!, columnBudget: budget, batchedBelow: batchedBelow)
                }
                dx.withUnsafeMutableBufferPointer { pdx in
                    ConvKernels.backwardData(g, outputGrad: pg.baseAddress!, weight: pw.baseAddress!,
                                             inputGrad: pdx.baseAddress!, columnBudget: budget, batchedBelow: batchedBelow)
                }
                dw.withUnsafeMutableBufferPointer { pdw in
                    ConvKernels.backwardWeight(g, input: px.baseAddress!, outputGrad: pg.baseAddress!,
                                               weightGrad: pdw.baseAddress!, columnBudget: budget, batchedBelow: batchedBelow)
                }
            }
        } }
        return (y, dx, dw)
    }

    /// The forward product of `convProducts(g, seed:…)` by the definition, in Float64: what
    /// every tiling and GEMM path (explicit column matrix or implicit packing) must give.
    static func directForward(_ g: ConvGeometry, seed: UInt64) throws -> [Float] {
        var rng = RandomGenerator(seed: seed)
        let x = try Tensor.randn([g.batch, g.imageChannels, g.height, g.width], using: &rng).storage
        let w = try Tensor.randn([g.outChannels, g.imageChannels / g.groups, g.kernelH, g.kernelW], using: &rng).storage
        let cinG = g.imageChannels / g.groups, coutG = g.outChannels / g.groups
        var y = [Float](repeating: 0, count: g.batch * g.outChannels * g.outPlane)
        for n in 0..<g.batch {
            for o in 0..<g.outChannels {
                for oy in 0..<g.outHeight {
                    for ox in 0..<g.outWidth {
                        var sum = 0.0
                        for ci in 0..<cinG {
                            let c = (o / coutG) * cinG + ci
                            for ki in 0..<g.kernelH {
                                for kj in 0..<g.kernelW {
                                    let iy = oy * g.strideH + ki * g.dilationH - g.padH
                                    let ix = ox * g.strideW + kj * g.dilationW - g.padW
                                    guard iy >= 0, iy < g.height, ix >= 0, ix < g.width else { continue }
                                    sum += Double(x[((n * g.imageChannels + c) * g.height + iy) * g.width + ix])
                                        * Double(w[((o * cinG + ci) * g.kernelH + ki) * g.kernelW + kj])
                                }
                            }
                        }
                        y[((n * g.outChannels + o) * g.outHeight + oy) * g.outWidth + ox] = Float(sum)
                    }
                }
            }
        }
        return y
    }

    @Test("tiling the column buffer by images or by output rows, and sharing GEMMs across images, do not change the result")
    func chunkedColumns() throws {
        let g = ConvGeometry(batch: 5, image: (3, 6, 7), output: (4, 6, 7), kernel: (3, 3), stride: (1, 1), padding: (1, 1),
                             dilation: (1, 1), groups: 1)
        let whole = try Self.convProducts(g, seed: 5, budget: 1 << 20, batchedBelow: 0)
        let direct = try Self.directForward(g, seed: 5)
        let perRow = 3 * 9 * 7
        #expect(ConvKernels.tiles(g, budget: 1 << 20).count == 1)
        #expect(ConvKernels.tiles(g, budget: 2 * g.columnsPerImage).map(\.images) == [2, 2, 1])
        #expect(ConvKernels.tiles(g, budget: 4 * perRow).map { $0.y1 - $0.y0 } == [4, 2, 4, 2, 4, 2, 4, 2, 4, 2])
        for budget in [1 << 20, 2 * g.columnsPerImage, 4 * perRow, perRow] {
            for batchedBelow in [0, Int.max] {
                let tiled = try Self.convProducts(g, seed: 5, budget: budget, batchedBelow: batchedBelow)
                let label = "budget \(budget), batched below \(batchedBelow)"
                #expect(maxDifference(whole.0, tiled.0) < 1e-5, "forward, \(label)")
                #expect(maxDifference(direct, tiled.0) < 1e-4, "forward against the definition, \(label)")
                #expect(maxDifference(whole.1, tiled.1) < 1e-5, "data gradient, \(label)")
                #expect(maxDifference(whole.2, tiled.2) < 1e-4, "weight gradient, \(label)")
            }
        }
    }

    @Test("a 1×1 convolution on shared GEMMs is right when tiles cut images into bands of rows")
    func pointwiseBands() throws {
        let g = ConvGeometry(batch: 3, image: (5, 6, 7), output: (4, 6, 7), kernel: (1, 1), stride: (1, 1), padding: (0, 0),
                             dilation: (1, 1), groups: 1)
        let direct = try Self.directForward(g, seed: 12)
        for budget in [1 << 20, 2 * 5 * 7, 5 * 7] {
            let tiled = try Self.convProducts(g, seed: 12, budget: budget, batchedBelow: Int.max)
            #expect(maxDifference(direct, tiled.0) < 1e-4, "budget \(budget)")
        }
    }

    @Test("shared GEMMs across images agree with per-image GEMMs for grouped, strided and pointwise convolutions",
          arguments: [
            ConvGeometry(batch: 3, image: (4, 5, 5), output: (6, 3, 3), kernel: (3, 3), stride: (2, 2), padding: (1, 1),
                         dilation: (1, 1), groups: 2),
            ConvGeometry(batch: 4, image: (6, 3, 4), output: (5, 3, 4), kernel: (1, 1), stride: (1, 1), padding: (0, 0),
                         dilation: (1, 1), groups: 1),
            ConvGeometry(batch: 2, image: (3, 7, 6), output: (4, 3, 2), kernel: (3, 3), stride: (1, 2), padding: (0, 1),
                         dilation: (2, 1), groups: 1),
            // Output rows of 37 and 5 columns: panels of 32 columns start mid-row and mid-image.
            ConvGeometry(batch: 3, image: (5, 6, 37), output: (7, 6, 37), kernel: (3, 3), stride: (1, 1), padding: (1, 1),
                         dilation: (1, 1), groups: 1),
            ConvGeometry(batch: 5, image: (4, 9, 9), output: (3, 5, 5), kernel: (3, 3), stride: (2, 2), padding: (1, 1),
                         dilation: (1, 1), groups: 1),
          ])
    func batchedAgrees(_ g: ConvGeometry) throws {
        let perImage = try Self.convProducts(g, seed: 9, budget: 1 << 20, batchedBelow: 0)
        let shared = try Self.convProducts(g, seed: 9, budget: 1 << 20, batchedBelow: Int.max)
        let direct = try Self.directForward(g, seed: 9)
        #expect(maxDifference(direct, perImage.0) < 1e-4)
        #expect(maxDifference(direct, shared.0) < 1e-4)
        #expect(maxDifference(perImage.0, shared.0) < 1e-5)
        #expect(maxDifference(perImage.1, shared.1) < 1e-5)
        #expect(maxDifference(perImage.2, shared.2) < 1e-4)
    }

    @Test("forward and data gradient give the same bits on 1, 2 or 3 threads (weight gradient: to rounding), with uneven shares of the batch",
          arguments: [
            // Whole planes per GEMM, and small planes on shared GEMMs (several tiles per thread).
            ConvGeometry(batch: 7, image: (5, 6, 37), output: (7, 6, 37), kernel: (3, 3), stride: (1, 1), padding: (1, 1),
                         dilation: (1, 1), groups: 1),
            ConvGeometry(batch: 5, image: (4, 5, 5), output: (6, 3, 3), kernel: (3, 3), stride: (2, 2), padding: (1, 1),
                         dilation: (1, 1), groups: 2),
            ConvGeometry(batch: 3, image: (6, 3, 4), output: (13, 3, 4), kernel: (1, 1), stride: (1, 1), padding: (0, 0),
                         dilation: (1, 1), groups: 1),
          ])
    func threadIndependent(_ g: ConvGeometry) throws {
        var rng = RandomGenerator(seed: 31)
        let x = try Tensor.randn([g.batch, g.imageChannels, g.height, g.width], using: &rng).storage
        let w = try Tensor.randn([g.outChannels, g.imageChannels / g.groups, g.kernelH, g.kernelW], using: &rng).storage
        let residual = try Tensor.randn([g.batch, g.outChannels, g.outHeight, g.outWidth], using: &rng).storage
        let bias = try Tensor.randn([g.outChannels], using: &rng).storage
        let scale = try Tensor.randn([g.outChannels], using: &rng).storage
        let direct = try Self.directForward(g, seed: 31)
        // Budgets of a third of an image (bands of rows), one image and a few, so threads get
        // several tiles of unequal size.
        for budget in [g.columnsPerImage / 3, g.columnsPerImage, 2 * g.columnsPerImage, 1 << 20] {
            for batchedBelow in [0, Int.max] {
                func run(threads: Int, epilogue: Bool) -> [Float] {
                    var y = [Float](repeating: .nan, count: residual.count)
                    x.withUnsafeBufferPointer { px in w.withUnsafeBufferPointer { pw in bias.withUnsafeBufferPointer { pb in
                        scale.withUnsafeBufferPointer { ps in residual.withUnsafeBufferPointer { pr in
                            y.withUnsafeMutableBufferPointer { py in
                                let fused = ConvKernels.Epilogue(scale: ps.baseAddress!, shift: pb.baseAddress!,
                                                                 residual: pr.baseAddress!, activation: .relu)
                                ConvKernels.forward(g, input: px.baseAddress!, weight: pw.baseAddress!,
                                                    bias: epilogue ? nil : pb.baseAddress!, output: py.baseAddress!,
                                                    epilogue: epilogue ? fused : .none, columnBudget: budget,
                                                    batchedBelow: batchedBelow, threads: threads)
                            }
                        } }
                    } } }
                    return y
                }
                // The gradients: dx bit for bit, dw (summed per thread) to rounding.
                func gradients(threads: Int) -> (dx: [Float], dw: [Float]) {
                    var dx = [Float](repeating: .nan, count: x.count), dw = [Float](repeating: .nan, count: w.count)
                    x.withUnsafeBufferPointer { px in w.withUnsafeBufferPointer { pw in residual.withUnsafeBufferPointer { pr in
                        dx.withUnsafeMutableBufferPointer { pdx in dw.withUnsafeMutableBufferPointer { pdw in
                            ConvKernels.backward(g, input: px.baseAddress!, outputGrad: pr.baseAddress!, weight: pw.baseAddress!,
                                                 inputGrad: pdx.baseAddress!, weightGrad: pdw.baseAddress!, biasGrad: nil,
                                                 columnBudget: budget, batchedBelow: batchedBelow, threads: threads)
                        } }
                    } } }
                    return (dx, dw)
                }
                let label = "budget \(budget), batched below \(batchedBelow)"
                let single = gradients(threads: 1)
                #expect(single.dx.allSatisfy(\.isFinite) && single.dw.allSatisfy(\.isFinite), "\(label)")
                for threads in [2, 3] {
                    let shared = gradients(threads: threads)
                    #expect(shared.dx == single.dx, "data gradient, \(threads) threads, \(label)")
                    #expect(maxDifference(shared.dw, single.dw) < 1e-4, "weight gradient, \(threads) threads, \(label)")
                    #expect(gradients(threads: threads).dw == shared.dw, "weight gradient repeats, \(threads) threads, \(label)")
                }
                let plain = run(threads: 1, epilogue: false), fused = run(threads: 1, epilogue: true)
                let channel = { (i: Int) in i / g.outPlane % g.outChannels }
                let expected = direct.indices.map { i in Swift.max(0, direct[i] * scale[channel(i)] + bias[channel(i)] + residual[i]) }
                #expect(maxDifference(direct.indices.map { direct[$0] + bias[channel($0)] }, plain) < 1e-4, "\(label)")
                #expect(maxDifference(expected, fused) < 1e-4, "epilogue, \(label)")
                for threads in [2, 3] {
                    #expect(run(threads: threads, epilogue: false) == plain, "\(threads) threads, \(label)")
                    #expect(run(threads: threads, epilogue: true) == fused, "\(threads) threads, epilogue, \(label)")
                }
            }
        }
    }

    @Test("each thread's share of the batch is contiguous, within one image of the others, and cut into tiles within the budget")
    func threadShares() {
        let g = ConvGeometry(batch: 7, image: (3, 6, 7), output: (4, 6, 7), kernel: (3, 3), stride: (1, 1), padding: (1, 1),
                             dilation: (1, 1), groups: 1)
        let shares = ConvKernels.threadTiles(g, budget: 2 * g.columnsPerImage, threads: 2)
        #expect(shares?.map { $0.map(\.images) } == [[2, 1], [2, 2]])
        #expect(shares?.flatMap { $0 }.map(\.first) == [0, 2, 3, 5])
        #expect(ConvKernels.threadTiles(g, budget: 1 << 20, threads: 3)?.map { $0.map(\.images) } == [[2], [2], [3]])
        // An image larger than the budget: each thread takes its own images in bands of rows.
        let perRow = 3 * 9 * 7
        let bands = ConvKernels.threadTiles(g, budget: 4 * perRow, threads: 2)
        #expect(bands?.map { $0.map(\.first) } == [[0, 0, 1, 1, 2, 2], [3, 3, 4, 4, 5, 5, 6, 6]])
        #expect(bands?.flatMap { $0 }.map { $0.y1 - $0.y0 } == Array([[Int]](repeating: [4, 2], count: 7).joined()))
        // No share for a thread, or one thread: the shared path.
        #expect(ConvKernels.threadTiles(g, budget: 1 << 20, threads: 8) == nil)
        #expect(ConvKernels.threadTiles(g, budget: 1 << 20, threads: 1) == nil)
    }

    @Test("shape errors name the shapes")
    func shapeErrors() throws {
        let x = try Tensor.zeros([1, 4, 5, 5])
        func message(_ body: () throws -> Tensor) -> String {
            do { _ = try body(); return "no error" } catch { return "\(error)" }
        }
        let channels = message { try x.conv2d(weight: Tensor.zeros([2, 3, 3, 3])) }
        #expect(channels.contains("[1, 4, 5, 5]") && channels.contains("[2, 3, 3, 3]") && channels.contains("4 channels"))
        let groups = message { try x.conv2d(weight: Tensor.zeros([3, 2, 3, 3]), groups: 2) }
        #expect(groups.contains("groups 2 must divide") && groups.contains("[3, 2, 3, 3]"))
        let tooBig = message { try x.conv2d(weight: Tensor.zeros([2, 4, 7, 3])) }
        #expect(tooBig.contains("does not fit") && tooBig.contains("[2, 4, 7, 3]"))
        let bias = message { try x.conv2d(weight: Tensor.zeros([2, 4, 3, 3]), bias: Tensor.zeros([3])) }
        #expect(bias.contains("[3]") && bias.contains("bias"))
        let rank = message { try Tensor.zeros([4, 5, 5]).conv2d(weight: Tensor.zeros([2, 4, 3, 3])) }
        #expect(rank.contains("[4, 5, 5]"))
        let stride = message { try x.conv2d(weight: Tensor.zeros([2, 4, 3, 3]), stride: (0, 1)) }
        #expect(stride.contains("stride"))
        let transposeChannels = message { try x.convTranspose2d(weight: Tensor.zeros([3, 2, 3, 3])) }
        #expect(transposeChannels.contains("[1, 4, 5, 5]") && transposeChannels.contains("[3, 2, 3, 3]"))
        let outputPadding = message {
            try x.convTranspose2d(weight: Tensor.zeros([4, 2, 3, 3]), stride: (2, 2), outputPadding: (2, 0))
        }
        #expect(outputPadding.contains("output padding"))
        let negative = message { try x.convTranspose2d(weight: Tensor.zeros([4, 2, 1, 1]), padding: (3, 3)) }
        #expect(negative.contains("output of"))
    }
}

func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// The textbook convolution in Float64: for every output element, a sum over the group's
/// input channels and the kernel taps that land inside the image.
func refConv2d(_ x: Ref, _ w: Ref, _ b: Ref?, stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int),
               groups: Int) -> Ref {
    let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (cout, cinG, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let oh = (h + 2 * padding.0 - dilation.0 * (kh - 1) - 1) / stride.0 + 1
    let ow = (wd + 2 * padding.1 - dilation.1 * (kw - 1) - 1) / stride.1 + 1
    let coutG = cout / groups
    var y = Ref.zeros([n, cout, oh, ow])
    for b0 in 0..<n {
        for o in 0..<cout {
            let g = o / coutG
            for i in 0..<oh {
                for j in 0..<ow {
                    var s = b?.data[o] ?? 0
                    for c in 0..<cinG {
                        for ki in 0..<kh {
                            for kj in 0..<kw {
                                let r = i * stride.0 - padding.0 + ki * dilation.0
                                let q = j * stride.1 - padding.1 + kj * dilation.1
                                guard r >= 0, r < h, q >= 0, q < wd else { continue }
                                let xc = g * cinG + c
                                s += x.data[((b0 * cin + xc) * h + r) * wd + q] * w.data[((o * cinG + c) * kh + ki) * kw + kj]
                            }
                        }
                    }
                    y.data[((b0 * cout + o) * oh + i) * ow + j] = s
                }
            }
        }
    }
    return y
}

/// The transposed convolution in Float64 as its definition: every input pixel scatters
/// `x·w` onto the output positions its kernel taps reach.
func refConvTranspose2d(_ x: Ref, _ w: Ref, _ b: Ref?, stride: (Int, Int), padding: (Int, Int),
                        outputPadding: (Int, Int), dilation: (Int, Int), groups: Int) -> Ref {
    let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (coutG, kh, kw) = (w.shape[1], w.shape[2], w.shape[3])
    let cout = coutG * groups, cinG = cin / groups
    let oh = (h - 1) * stride.0 - 2 * padding.0 + dilation.0 * (kh - 1) + outputPadding.0 + 1
    let ow = (wd - 1) * stride.1 - 2 * padding.1 + dilation.1 * (kw - 1) + outputPadding.1 + 1
    var y = Ref.zeros([n, cout, oh, ow])
    for b0 in 0..<n {
        for o in 0..<cout { for p in 0..<oh * ow { y.data[(b0 * cout + o) * oh * ow + p] = b?.data[o] ?? 0 } }
        for c in 0..<cin {
            let g = c / cinG
            for i in 0..<h {
                for j in 0..<wd {
                    let v = x.data[((b0 * cin + c) * h + i) * wd + j]
                    for oc in 0..<coutG {
                        for ki in 0..<kh {
                            for kj in 0..<kw {
                                let r = i * stride.0 - padding.0 + ki * dilation.0
                                let q = j * stride.1 - padding.1 + kj * dilation.1
                                guard r >= 0, r < oh, q >= 0, q < ow else { continue }
                                let o = g * coutG + oc
                                y.data[((b0 * cout + o) * oh + r) * ow + q] += v * w.data[((c * coutG + oc) * kh + ki) * kw + kj]
                            }
                        }
                    }
                }
            }
        }
    }
    return y
}
