/// COCO AP by box size: AP@[.50:.95] counting only the true boxes whose area falls in a
/// range, as COCOeval's `areaRng` does. A true box outside the range is ignored — a
/// detection matched to it counts neither way — and so is an unmatched detection outside the
/// range; a detection prefers a true box inside the range to an ignored one.
extension DetectionMetrics {
    /// An area range in pixels² of the image, both ends included (COCOeval's test).
    public struct AreaRange: Codable, Sendable, Equatable {
        public var name: String
        public var min: Double
        public var max: Double

        public init(name: String, min: Double, max: Double) {
            self.name = name
            self.min = min
            self.max = max
        }

        /// COCO's: small < 32², medium < 96², large; made for photographs, where galaxy
        /// cutouts' clumps are all "small" — pass ranges that split the data instead.
        public static let coco = [AreaRange(name: "small", min: 0, max: 32 * 32), AreaRange(name: "medium", min: 32 * 32, max: 96 * 96),
                                  AreaRange(name: "large", min: 96 * 96, max: 1e10)]

        /// Three ranges holding about a third of `boxes` each, named with their bounds. Each
        /// bound lies half-way between two box areas, so no box sits on one and counts twice
        /// (pixel-aligned boxes share areas such as 36 and 49).
        public static func terciles(of boxes: [BoundingBox]) -> [AreaRange] {
            let areas = boxes.map(DetectionMetrics.area).sorted()
            guard !areas.isEmpty else { return coco }
            func bound(_ k: Int) -> Double {
                let v = areas[k]
                return areas.first { $0 > v }.map { (v + $0) / 2 } ?? v + 0.5
            }
            let a = bound(Swift.max(0, areas.count / 3 - 1)), b = Swift.max(a + 1e-9, bound(Swift.max(0, (2 * areas.count) / 3 - 1)))
            func f(_ v: Double) -> String { String(format: "%.1f", v) }
            return [AreaRange(name: "small (< \(f(a)) px²)", min: 0, max: a), AreaRange(name: "medium (\(f(a))–\(f(b)) px²)", min: a, max: b),
                    AreaRange(name: "large (> \(f(b)) px²)", min: b, max: 1e10)]
        }

        func contains(_ area: Double) -> Bool { area >= min && area <= max }
    }

    /// One range's result: nil AP when no true box falls in it (COCOeval's −1).
    public struct AreaAP: Sendable, Equatable {
        public var range: AreaRange
        public var ap: Double?
        public var truths: Int
    }

    static func area(_ b: BoundingBox) -> Double { Double(b.x2 - b.x1) * Double(b.y2 - b.y1) }

    /// AP@[.50:.95] per area range, the mean over classes with a true box in the range.
    public static func cocoAP(byArea ranges: [AreaRange], detections: [[Detection]], groundTruth: [[BoundingBox]],
                              maxDetections: Int = 100) -> [AreaAP] {
        let classes = Set(groundTruth.joined().map(\.label)).sorted()
        return ranges.map { range in
            var perClass: [Double] = []
            var truthsInRange = 0
            for label in classes {
                // Per IoU threshold, the detections that count: (score, image, rank, matched).
                var kept = [[(score: Float, image: Int, rank: Int, matched: Bool)]](repeating: [], count: iouThresholds.count)
                var positives = 0
                for (image, (dets, truths)) in zip(detections, groundTruth).enumerated() {
                    // True boxes in the range first, as COCOeval orders them.
                    let all = truths.filter { $0.label == label }
                    let order = all.indices.sorted { (range.contains(area(all[$0])) ? 0 : 1, $0) < (range.contains(area(all[$1])) ? 0 : 1, $1) }
                    let gt = order.map { all[$0] }
                    let ignoredTruth = gt.map { !range.contains(area($0)) }
                    positives += ignoredTruth.filter { !$0 }.count
                    let dt = Array(dets.filter { $0.box.label == label }.enumerated()
                        .sorted { $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset }
                        .map(\.element).prefix(maxDetections))
                    let iou = BoxOps.iou(dt.map(\.box), gt)
                    for (t, threshold) in iouThresholds.enumerated() {
                        let matches = matchIndices(iou, ignored: ignoredTruth, threshold: threshold)
                        for (rank, d) in dt.enumerated() {
                            // Matched to an ignored truth, or unmatched and outside the range: not counted.
                            let ignored = matches[rank].map { ignoredTruth[$0] } ?? !range.contains(area(d.box))
                            if !ignored { kept[t].append((d.score, image, rank, matches[rank] != nil)) }
                        }
                    }
                }
                truthsInRange += positives
                guard positives > 0 else { continue }
                let perIoU = kept.map { list in
                    cocoAP(list.sorted { ($0.score, -$0.image, -$0.rank) > ($1.score, -$1.image, -$1.rank) }.map(\.matched),
                           positives: Double(positives))
                }
                perClass.append(perIoU.reduce(0, +) / Double(perIoU.count))
            }
            return AreaAP(range: range, ap: perClass.isEmpty ? nil : perClass.reduce(0, +) / Double(perClass.count), truths: truthsInRange)
        }
    }
}
