import Foundation

/// A pixel-aligned rectangle of an image: columns x..<x+width, rows y..<y+height.
public struct CropRegion: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    /// The fraction of a `imageWidth`×`imageHeight` image this region covers.
    public func areaFraction(imageWidth: Int, imageHeight: Int) -> Double {
        Double(width * height) / Double(imageWidth * imageHeight)
    }

    /// A random-resized-crop region, by torchvision's algorithm: up to 10 tries of an area
    /// fraction uniform in `scale` and an aspect ratio (width / height) log-uniform in
    /// `ratio`, placed uniformly; if none fits, the largest centred crop whose ratio is in
    /// range.
    public static func random(width: Int, height: Int, scale: ClosedRange<Double>,
                              ratio: ClosedRange<Double>, using rng: inout RandomGenerator) -> CropRegion {
        let area = Double(width * height)
        let logLow = log(ratio.lowerBound), logHigh = log(ratio.upperBound)
        for _ in 0..<10 {
            let target = area * (scale.lowerBound + (scale.upperBound - scale.lowerBound) * rng.uniformDouble())
            let aspect = exp(logLow + (logHigh - logLow) * rng.uniformDouble())
            let w = Int((target * aspect).squareRoot().rounded())
            let h = Int((target / aspect).squareRoot().rounded())
            if w > 0, h > 0, w <= width, h <= height {
                let y = rng.uniformIndex(below: height - h + 1)
                let x = rng.uniformIndex(below: width - w + 1)
                return CropRegion(x: x, y: y, width: w, height: h)
            }
        }
        let inRatio = Double(width) / Double(height)
        var w = width, h = height
        if inRatio < ratio.lowerBound {
            h = max(1, min(height, Int((Double(w) / ratio.lowerBound).rounded())))
        } else if inRatio > ratio.upperBound {
            w = max(1, min(width, Int((Double(h) * ratio.upperBound).rounded())))
        }
        return CropRegion(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
    }
}
