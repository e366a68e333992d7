import Foundation

/// One augmented example and how many of its boxes fell (almost) outside the output.
public struct AugmentedExample: Sendable {
    public var example: Example
    public var droppedBoxes: Int
}

/// Applies `AugmentationOptions` to examples: the image, its masks and its boxes move
/// together under one affine map, so targets stay aligned with the pixels.
///
/// The order is flips, quarter turns, arbitrary rotation about the centre, random resized
/// crop, resize to the output size, then noise on the image only. All randomness comes from
/// the generator passed in, so a loader that seeds it per (seed, epoch, example) gets the
/// same augmentation whatever thread runs it.
public struct Augmenter: Sendable {
    public let options: AugmentationOptions

    public init(_ options: AugmentationOptions) throws {
        try options.validate()
        self.options = options
    }

    /// Draws the random choices for a `width`×`height` input.
    public func draw(width: Int, height: Int, using rng: inout RandomGenerator) -> AugmentationDraw {
        var map = AffineMap.identity
        var w = width, h = height
        var hFlip = false, vFlip = false, turns = 0, angle = 0.0
        if options.flips {
            hFlip = rng.uniform() < 0.5
            vFlip = rng.uniform() < 0.5
            if hFlip { map = map.then(.horizontalFlip(width: w)) }
            if vFlip { map = map.then(.verticalFlip(height: h)) }
        }
        if options.rot90 {
            turns = rng.uniformIndex(below: 4)
            for _ in 0..<turns {
                map = map.then(.quarterTurn(width: w))
                swap(&w, &h)
            }
        }
        if options.rotation {
            angle = 2 * Double.pi * rng.uniformDouble()
            map = map.then(.rotation(angle, aboutX: Double(w) / 2, y: Double(h) / 2))
        }
        var region: CropRegion?
        var cropped = CropRegion(x: 0, y: 0, width: w, height: h)
        if options.crop {
            let s = options.cropScale, r = options.cropRatio
            cropped = CropRegion.random(width: w, height: h, scale: s[0]...s[1], ratio: r[0]...r[1], using: &rng)
            region = cropped
        }
        let outW = options.outputSize ?? w, outH = options.outputSize ?? h
        if cropped != CropRegion(x: 0, y: 0, width: outW, height: outH) {
            map = map.then(.translation(-Double(cropped.x), -Double(cropped.y)))
                .then(.scale(Double(outW) / Double(cropped.width), Double(outH) / Double(cropped.height)))
        }
        var d = AugmentationDraw(outputWidth: outW, outputHeight: outH, map: map)
        d.horizontalFlip = hFlip
        d.verticalFlip = vFlip
        d.quarterTurns = turns
        d.angle = angle
        d.crop = region
        return d
    }

    /// Draws and applies a random augmentation.
    public func apply(to example: Example, using rng: inout RandomGenerator) throws -> AugmentedExample {
        let d = draw(width: example.image.width, height: example.image.height, using: &rng)
        return try apply(d, to: example, noise: &rng)
    }

    /// Applies a given draw; `rng` supplies the pixel noise.
    public func apply(_ draw: AugmentationDraw, to example: Example,
                      noise rng: inout RandomGenerator) throws -> AugmentedExample {
        let image = example.image
        for (name, mask) in example.masks where mask.width != image.width || mask.height != image.height {
            throw AugmentationError("example '\(example.id)': mask '\(name)' is \(mask.width)×\(mask.height) but the image is \(image.width)×\(image.height); masks must share the image's pixel grid")
        }
        var out = example
        var dropped = 0
        if !draw.isIdentity(width: image.width, height: image.height) {
            guard let inverse = draw.map.inverse else {
                throw AugmentationError("example '\(example.id)': the augmentation map is singular")
            }
            let w = draw.outputWidth, h = draw.outputHeight
            out.image = ImageWarp.bilinear(image, width: w, height: h, map: inverse)
            for (name, mask) in example.masks {
                out.masks[name] = options.maskInterpolation == .nearest
                    ? ImageWarp.nearest(mask, width: w, height: h, map: inverse)
                    : ImageWarp.bilinear(mask, width: w, height: h, map: inverse)
            }
            out.boxes = []
            for box in example.boxes {
                if let moved = Self.visible(draw.map.enclosing(box), width: w, height: h,
                                            minVisibility: options.minBoxVisibility) {
                    out.boxes.append(moved)
                } else {
                    dropped += 1
                }
            }
        }
        if options.noiseStd > 0 {
            GaussianNoise.add(to: &out.image.pixels, std: options.noiseStd, using: &rng)
        }
        return AugmentedExample(example: out, droppedBoxes: dropped)
    }

    /// `box` clipped to the image, or nil when too little of it is left.
    static func visible(_ box: BoundingBox, width: Int, height: Int, minVisibility: Double) -> BoundingBox? {
        var c = box
        c.x1 = max(0, box.x1); c.y1 = max(0, box.y1)
        c.x2 = min(Float(width), box.x2); c.y2 = min(Float(height), box.y2)
        guard c.width > 0, c.height > 0 else { return nil }
        let full = Double(box.area)
        if full > 0, Double(c.area) / full < minVisibility { return nil }
        return c
    }
}
