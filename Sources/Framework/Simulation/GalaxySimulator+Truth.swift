import Foundation

/// Ground truth derived from the noiseless components: masks and clump boxes.
extension GalaxySimulator {
    /// Components with masks, by mask name.
    static let maskedRoles: [(GalaxyComponent.Role, String)] = [(.bar, "bar"), (.spiral, "spiral")]
    /// The masks every example carries: each component's support and its light fraction.
    public static let maskNames: [String] = maskedRoles.flatMap { [$0.1, $0.1 + "_fraction"] }
    /// The masks this simulator's examples carry: `maskNames`, and the volunteers' masks
    /// (`bar_volunteers`, `spiral_volunteers`) when `mask_volunteers` > 0.
    public var maskNames: [String] {
        Self.maskNames + (options.maskVolunteers > 0 ? Self.maskedRoles.map { $0.1 + "_volunteers" } : [])
    }
    /// The box classes: label 1 is a star-forming clump.
    public static let boxClasses = ["clump"]

    /// Support masks (pixels where the component's pre-PSF flux is ≥ `threshold` × its
    /// brightest pixel in the image) and soft masks (its share of all pre-PSF flux per
    /// pixel). A galaxy without the component gets all-zero masks: its absence is known.
    static func masks(_ scene: Scene.Rendering, threshold: Float) -> [String: Image] {
        let s = scene.total.width
        var out: [String: Image] = [:]
        for (role, name) in maskedRoles {
            var mask = Image(channels: 1, height: s, width: s)
            var fraction = Image(channels: 1, height: s, width: s)
            if let map = scene.roleMaps[role], let peak = map.pixels.max(), peak > 0 {
                let cut = threshold * peak
                for k in map.pixels.indices {
                    let v = map.pixels[k], total = scene.total.pixels[k]
                    mask.pixels[k] = v >= cut ? 1 : 0
                    fraction.pixels[k] = total > 0 ? min(1, max(0, v / total)) : 0
                }
            }
            out[name] = mask
            out[name + "_fraction"] = fraction
        }
        return out
    }

    /// Share of a clump's in-image light that each box must hold in every band (the promise
    /// is 90 %; the margin absorbs Float rounding in rendered images).
    static let boxFraction = 0.92

    /// One box (class 1) per clump: the smallest pixel-aligned square, grown in quarter
    /// pixels around the clump, that holds `boxFraction` of its PSF-blurred light in g, r
    /// and z. The fraction is exact: the clump is a pixel-integrated Gaussian, so the light of
    /// (clump ∗ kernel) in a box is Σₜ K(t)·(Gaussian mass of the box shifted by t).
    static func clumpBoxes(_ galaxy: SimulatedGalaxy, kernels: [[Float]], imageSize s: Int) -> [BoundingBox] {
        let kernels = Array(zip(galaxy.psfs, kernels))
        var boxes: [BoundingBox] = []
        for component in galaxy.components where component.role == .clump {
            guard case let .spot(spot) = component.shape else { continue }
            var h = 0.5
            while h < Double(s) {
                let x1 = min(s, max(0, Int((spot.x - h).rounded(.down)))), x2 = min(s, max(0, Int((spot.x + h).rounded(.up))))
                let y1 = min(s, max(0, Int((spot.y - h).rounded(.down)))), y2 = min(s, max(0, Int((spot.y + h).rounded(.up))))
                guard x1 < x2, y1 < y2 else { break }
                let holds = kernels.allSatisfy { psf, k in
                    fraction(of: spot, psf: psf, kernel: k, x: x1..<x2, y: y1..<y2, imageSize: s) >= boxFraction
                }
                if holds {
                    boxes.append(BoundingBox(x1: Float(x1), y1: Float(y1), x2: Float(x2), y2: Float(y2), label: 1))
                    break
                }
                h += 0.25
            }
        }
        return boxes
    }

    /// The share of a blurred spot's in-image light that falls in the box x × y.
    static func fraction(of spot: GaussianSpot, psf: PSF, kernel: [Float], x: Range<Int>, y: Range<Int>, imageSize s: Int) -> Double {
        let r = psf.radius, w = psf.width
        func masses(_ range: Range<Int>, centre: Double) -> [Double] {
            (0..<w).map { t in
                let shift = Double(t - r)
                return GaussianSpot.fraction(Double(range.lowerBound) + shift, Double(range.upperBound) + shift,
                                             centre: centre, sigma: spot.sigma)
            }
        }
        let bx = masses(x, centre: spot.x), by = masses(y, centre: spot.y)
        let ix = masses(0..<s, centre: spot.x), iy = masses(0..<s, centre: spot.y)
        var inBox = 0.0, inImage = 0.0
        for ty in 0..<w {
            for tx in 0..<w {
                let k = Double(kernel[ty * w + tx])
                inBox += k * by[ty] * bx[tx]
                inImage += k * iy[ty] * ix[tx]
            }
        }
        return inImage > 0 ? inBox / inImage : 1
    }
}
