import Foundation
import Testing
@testable import Framework

/// The regularised lower incomplete gamma P(a, x) by its power series (fine for x < a + 40).
func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
    var term = 1 / a, sum = term, k = 1.0
    while term > sum * 1e-16 {
        term *= x / (a + k)
        sum += term
        k += 1
    }
    return sum * exp(-x + a * log(x) - lgamma(a))
}

/// A scene of one component, white (equal flux in every band).
func soloScene(_ shape: ComponentShape, flux: Double, size: Int, psf: PSF?) -> Scene.Rendering {
    let component = GalaxyComponent(role: .disk, shape: shape, flux: flux, colour: BandColour(g: 1, r: 1, z: 1))
    return Scene(imageSize: size, components: [component], psf: psf).render()
}

/// Sum of one band of a C×S×S image.
func bandSum(_ image: Image, _ band: Int) -> Double {
    let n = image.height * image.width
    return image.pixels[(band * n)..<((band + 1) * n)].reduce(0.0) { $0 + Double($1) }
}

@Suite("Sérsic profiles, PSF and detector noise")
struct SersicPSFNoiseTests {
    @Test("bn makes Re enclose half the light", arguments: [0.5, 1, 1.5, 2, 4, 6, 10])
    func bnHalvesTheLight(n: Double) {
        let b = SersicProfile.bn(n)
        // L(<R) ∝ γ(2n, bn (R/Re)^(1/n)): half the light inside Re means P(2n, bn) = ½.
        // The series is asymptotic in n: looser at n = ½ (bn off by 4e-4 relative).
        #expect(abs(regularizedGammaP(2 * n, b) - 0.5) < (n < 1 ? 2e-4 : 2e-5), "n = \(n), bn = \(b)")
    }

    static let fluxCases: [(n: Double, re: Double, q: Double, psf: PSF?)] = [
        (1, 8, 0.6, nil), (4, 4, 0.8, nil), (1, 8, 0.6, PSF(kind: .moffat, fwhm: 3, beta: 2.5)),
        (4, 4, 0.8, PSF(kind: .moffat, fwhm: 3, beta: 4.8)), (4, 4, 0.8, PSF(kind: .gaussian, fwhm: 2.5)),
        (1, 3, 0.12, nil), (2.5, 1.2, 0.9, PSF(kind: .moffat, fwhm: 2.2, beta: 3)),
    ]

    @Test("rendered flux matches the analytic total within 2 %", arguments: fluxCases)
    func fluxIsConserved(_ c: (n: Double, re: Double, q: Double, psf: PSF?)) {
        let flux = 1e5, size = 320
        let shape = ComponentShape.sersic(SersicProfile(x: 160.3, y: 159.6, effectiveRadius: c.re, index: c.n,
                                                        axisRatio: c.q, angle: 0.4))
        let r = soloScene(shape, flux: flux, size: size, psf: c.psf)
        for band in 0..<3 {
            let total = bandSum(r.bands, band)
            #expect(abs(total / flux - 1) < 0.02, "n=\(c.n) Re=\(c.re) q=\(c.q) psf=\(String(describing: c.psf)): \(total)")
        }
        // The pre-PSF truth map holds the same light.
        #expect(abs(bandSum(r.total, 0) / flux - 1) < 0.02)
    }

    @Test("half-light radius is recovered within 5 %", arguments: [(1.0, 12.0), (4.0, 10.0), (2.0, 6.0)])
    func halfLightRadius(_ c: (n: Double, re: Double)) {
        let flux = 1e5, size = 256, cx = 128.0, cy = 128.0
        let r = soloScene(.sersic(SersicProfile(x: cx, y: cy, effectiveRadius: c.re, index: c.n)), flux: flux,
                          size: size, psf: nil)
        var rings: [(d: Double, f: Double)] = []
        for y in 0..<size {
            for x in 0..<size {
                let d = ((Double(x) + 0.5 - cx) * (Double(x) + 0.5 - cx) + (Double(y) + 0.5 - cy) * (Double(y) + 0.5 - cy)).squareRoot()
                rings.append((d, Double(r.total.pixels[y * size + x])))
            }
        }
        rings.sort { $0.d < $1.d }
        // Half of the analytic total, so light beyond the frame does not bias the radius.
        var enclosed = 0.0, previous = (d: 0.0, f: 0.0), measured = Double.nan
        for ring in rings {
            let next = enclosed + ring.f
            if next >= flux / 2 {
                let t = (flux / 2 - enclosed) / ring.f
                measured = previous.d + t * (ring.d - previous.d)
                break
            }
            enclosed = next
            previous = (ring.d, enclosed)
        }
        #expect(abs(measured / c.re - 1) < 0.05, "n=\(c.n): measured \(measured), Re \(c.re)")
    }

    @Test("PSF kernels sum to 1, are symmetric and peak at the centre", arguments: [
        PSF(kind: .moffat, fwhm: 2.0, beta: 2.5), PSF(kind: .moffat, fwhm: 3.3, beta: 4.8),
        PSF(kind: .gaussian, fwhm: 1.5), PSF(kind: .gaussian, fwhm: 4.0, radiusInFWHM: 3),
    ])
    func kernelIsNormalised(psf: PSF) {
        let k = psf.kernel(), w = psf.width, r = psf.radius
        #expect(k.count == w * w)
        #expect(abs(k.reduce(0.0) { $0 + Double($1) } - 1) < 1e-5)
        #expect(k.allSatisfy { $0 >= 0 })
        #expect(k.max() == k[r * w + r])
        for y in 0..<w {
            for x in 0..<w {
                #expect(k[y * w + x] == k[(w - 1 - y) * w + x] && k[y * w + x] == k[x * w + y])
            }
        }
        // FWHM is what it says: the profile is at half maximum at r = FWHM/2.
        #expect(abs(psf.profile(r2: psf.fwhm * psf.fwhm / 4) - 0.5) < 1e-12)
    }

    @Test func convolvedImageKeepsItsFlux() {
        var image = Image(channels: 2, height: 40, width: 40)
        image[0, 20, 20] = 100
        image[1, 15, 25] = 7
        let psf = PSF(kind: .moffat, fwhm: 3, beta: 3)
        let blurred = psf.convolved(image)
        #expect(abs(bandSum(blurred, 0) - 100) < 1e-3)
        #expect(abs(bandSum(blurred, 1) - 7) < 1e-4)
        // A point source takes the kernel's shape.
        let k = psf.kernel()
        #expect(abs(blurred[0, 20, 20] - 100 * k[psf.radius * psf.width + psf.radius]) < 1e-4)
        #expect(abs(blurred[0, 21, 20] - 100 * k[(psf.radius + 1) * psf.width + psf.radius]) < 1e-4)
    }

    @Test("point sources are drawn from the untruncated PSF and keep their flux", arguments: [
        PSF(kind: .moffat, fwhm: 3, beta: 2.5), PSF(kind: .moffat, fwhm: 2.2, beta: 4.8), PSF(kind: .gaussian, fwhm: 2.6),
    ])
    func pointSourceKeepsItsFlux(psf: PSF) {
        let r = soloScene(.point(PointSource(x: 128.3, y: 127.8)), flux: 1e4, size: 256, psf: psf)
        for band in 0..<3 { #expect(abs(bandSum(r.bands, band) / 1e4 - 1) < 0.01) }
        // Its pre-blur truth is all in its pixel.
        #expect(r.total[0, 127, 128] == 1e4)
        // The wings go past the kernel's edge, as a real star's do.
        #expect(r.bands[1, 127, 128 + psf.radius + 3] > 0)
        // Brightest at the source, symmetric about it.
        #expect(r.bands[1, 127, 128] == r.bands.pixels[(256 + 127) * 256 ..< (256 + 128) * 256].max())
    }

    @Test("noise is Poisson on signal + sky plus read noise", arguments: [(5.0, 0.0), (5.0, 3.0), (400.0, 4.0)])
    func noiseStatistics(_ c: (sky: Float, read: Float)) {
        let n = 200_000, signal: Float = 3
        var values = [Float](repeating: signal, count: n)
        var rng = RandomGenerator(seed: 7, stream: 1)
        values.withUnsafeMutableBufferPointer { CameraNoise.apply(to: $0, sky: c.sky, readNoise: c.read, rng: &rng) }
        let mean = values.reduce(0.0) { $0 + Double($1) } / Double(n)
        let variance = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(n - 1)
        let expected = Double(signal + c.sky) + Double(c.read * c.read)
        #expect(abs(mean - Double(signal)) < 0.02 * Double(signal + c.sky).squareRoot(), "mean \(mean)")
        #expect(abs(variance / expected - 1) < 0.03, "variance \(variance), expected \(expected)")
        if c.read == 0 {
            #expect(values.allSatisfy { ($0 + c.sky).rounded() == $0 + c.sky }, "Poisson counts are whole")
        }
    }

    @Test func noiseIsSeeded() {
        func draw(_ stream: UInt64) -> [Float] {
            var v = [Float](repeating: 10, count: 500)
            var rng = RandomGenerator(seed: 3, stream: stream)
            v.withUnsafeMutableBufferPointer { CameraNoise.apply(to: $0, sky: 50, readNoise: 2, rng: &rng) }
            return v
        }
        #expect(draw(1) == draw(1))
        #expect(draw(1) != draw(2))
    }
}
