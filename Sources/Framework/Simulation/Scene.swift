/// Light components seen through a PSF per band: the noiseless half of the simulator.
///
/// Components are drawn on a canvas wider than the image by the largest kernel radius,
/// mixed into bands g, r, z by their colours, then blurred by each band's PSF into the
/// image; point sources are then drawn from each band's untruncated PSF. Per-role maps
/// before the PSF are kept for the ground truth.
public struct Scene: Sendable {
    /// Side of the square image, pixels.
    public var imageSize: Int
    public var components: [GalaxyComponent]
    /// One PSF per band (g, r, z), or nil for no blur.
    public var psfs: [PSF]?

    public init(imageSize: Int, components: [GalaxyComponent], psfs: [PSF]?) {
        precondition(psfs == nil || psfs!.count == 3, "Scene: one PSF per band g, r, z")
        self.imageSize = imageSize
        self.components = components
        self.psfs = psfs
    }

    /// A scene with the same PSF in every band.
    public init(imageSize: Int, components: [GalaxyComponent], psf: PSF?) {
        self.init(imageSize: imageSize, components: components, psfs: psf.map { [$0, $0, $0] })
    }

    /// Number of bands (g, r, z).
    public static let bandCount = 3

    /// The rendered scene.
    public struct Rendering: Sendable {
        /// 3×S×S detector counts in g, r, z after the PSF, without noise or sky.
        public var bands: Image
        /// For each role present, 1×S×S r-band counts before the PSF.
        public var roleMaps: [GalaxyComponent.Role: Image]
        /// 1×S×S r-band counts of all components before the PSF.
        public var total: Image
        /// The PSF kernels used, per band (empty without PSF).
        public var kernels: [[Float]]
    }

    public func render() -> Rendering {
        let s = imageSize
        let pad = psfs?.map(\.radius).max() ?? 0
        let canvas = RenderCanvas(imageSize: s, pad: pad)
        let n = canvas.size, nn = canvas.count
        var pre = [Float](repeating: 0, count: Self.bandCount * nn)
        var scratch = [Float](repeating: 0, count: nn)
        var roles: [GalaxyComponent.Role: [Float]] = [:]
        var total = [Float](repeating: 0, count: s * s)

        for component in components {
            scratch.withUnsafeMutableBufferPointer { sp in
                let scr = sp.baseAddress!
                scr.update(repeating: 0, count: nn)
                component.shape.render(flux: component.flux, into: scr, canvas: canvas)
                pre.withUnsafeMutableBufferPointer { pp in
                    guard !component.isPoint || psfs == nil else { return }
                    for b in 0..<Self.bandCount {
                        let w = Float(component.colour[b])
                        guard w != 0 else { continue }
                        let dst = pp.baseAddress! + b &* nn
                        for k in 0..<nn { dst[k] += w * scr[k] }
                    }
                }
                let w = Float(component.colour.r)
                if roles[component.role] == nil { roles[component.role] = [Float](repeating: 0, count: s * s) }
                roles[component.role]!.withUnsafeMutableBufferPointer { mp in
                    total.withUnsafeMutableBufferPointer { tp in
                        for y in 0..<s {
                            let src = scr + ((y &+ pad) &* n &+ pad)
                            let m = mp.baseAddress! + y &* s, t = tp.baseAddress! + y &* s
                            for x in 0..<s {
                                let v = w * src[x]
                                m[x] += v
                                t[x] += v
                            }
                        }
                    }
                }
            }
        }

        var bands = [Float](repeating: 0, count: Self.bandCount * s * s)
        let kernels = psfs?.map { $0.kernel() } ?? []
        pre.withUnsafeBufferPointer { pp in
            bands.withUnsafeMutableBufferPointer { bp in
                for b in 0..<Self.bandCount {
                    let src = pp.baseAddress! + b &* nn, dst = bp.baseAddress! + b &* s &* s
                    if let psf = psfs?[b] {
                        kernels[b].withUnsafeBufferPointer { kp in
                            PSF.convolveValid(src, inSize: n, offset: pad - psf.radius, kernel: kp.baseAddress!,
                                              radius: psf.radius, into: dst, outSize: s)
                        }
                        for component in components where component.isPoint {
                            guard case let .point(p) = component.shape else { continue }
                            psf.addPoint(x: p.x, y: p.y, flux: component.flux * component.colour[b], into: dst, size: s)
                        }
                    } else {
                        for y in 0..<s { (dst + y &* s).update(from: src + ((y &+ pad) &* n &+ pad), count: s) }
                    }
                }
            }
        }
        return Rendering(
            bands: Image(channels: Self.bandCount, height: s, width: s, pixels: bands),
            roleMaps: roles.mapValues { Image(channels: 1, height: s, width: s, pixels: $0) },
            total: Image(channels: 1, height: s, width: s, pixels: total), kernels: kernels)
    }
}
