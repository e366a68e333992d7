import Foundation

/// The radially averaged power spectrum of a square patch (Martin et al. 2020's patch
/// descriptor): |DFT|² of the p×p patch, averaged over frequencies (u, v) — taken signed,
/// as `numpy.fft.fftfreq(p) * p` — whose radius √(u² + v²) rounds to each integer 0…⌊p/2⌋;
/// the corners beyond the Nyquist radius are left out. Bin 0 is the squared sum of the patch.
public struct RadialPowerSpectrum: Sendable {
    public let size: Int
    /// ⌊size/2⌋ + 1 radial bins.
    public var bins: Int { size / 2 + 1 }
    private let cosTable: [Double]
    private let sinTable: [Double]
    /// Bin of each (u, v), or -1 beyond the Nyquist radius.
    private let binOf: [Int]
    private let binCount: [Double]

    public init(size p: Int) {
        size = p
        cosTable = (0..<(p * p)).map { cos(2 * Double.pi * Double(($0 / p) * ($0 % p) % p) / Double(p)) }
        sinTable = (0..<(p * p)).map { sin(2 * Double.pi * Double(($0 / p) * ($0 % p) % p) / Double(p)) }
        var binOf = [Int](repeating: -1, count: p * p), counts = [Double](repeating: 0, count: p / 2 + 1)
        for u in 0..<p {
            for v in 0..<p {
                let fu = Double(u <= (p - 1) / 2 ? u : u - p), fv = Double(v <= (p - 1) / 2 ? v : v - p)
                let b = Int((fu * fu + fv * fv).squareRoot().rounded())
                if b <= p / 2 { binOf[u * p + v] = b; counts[b] += 1 }
            }
        }
        self.binOf = binOf
        binCount = counts
    }

    /// Mean power per radial bin of one p×p patch given row-major.
    public func callAsFunction(_ patch: [Float]) -> [Double] {
        let p = size
        precondition(patch.count == p * p, "RadialPowerSpectrum: \(patch.count) values for a \(p)×\(p) patch")
        // Separable DFT: along rows, then along columns.
        var rowRe = [Double](repeating: 0, count: p * p), rowIm = rowRe
        for y in 0..<p {
            for v in 0..<p {
                var re = 0.0, im = 0.0
                for x in 0..<p {
                    let t = Double(patch[y * p + x])
                    re += t * cosTable[v * p + x]
                    im -= t * sinTable[v * p + x]
                }
                rowRe[y * p + v] = re
                rowIm[y * p + v] = im
            }
        }
        var power = [Double](repeating: 0, count: bins)
        for u in 0..<p {
            for v in 0..<p where binOf[u * p + v] >= 0 {
                var re = 0.0, im = 0.0
                for y in 0..<p {
                    let c = cosTable[u * p + y], s = sinTable[u * p + y]
                    // (a + ib)(c − is) = ac + bs + i(bc − as)
                    re += rowRe[y * p + v] * c + rowIm[y * p + v] * s
                    im += rowIm[y * p + v] * c - rowRe[y * p + v] * s
                }
                power[binOf[u * p + v]] += re * re + im * im
            }
        }
        return zip(power, binCount).map { $1 > 0 ? $0 / $1 : 0 }
    }
}
