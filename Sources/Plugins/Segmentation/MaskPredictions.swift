import Foundation
import Framework

/// The model's mask probabilities over a loader (in evaluation mode, optionally averaged
/// over test-time transforms), with the galaxies' true masks where they have them.
struct MaskPredictions {
    var ids: [String]
    /// Dataset indices, in order.
    var indices: [Int]
    /// [N, K, H, W] probabilities.
    var probabilities: Tensor
    /// The binary truth masks of the classes, [N, K, H, W] (zeros where absent), and which
    /// galaxies have each.
    var truth: Tensor
    var truthPresent: [[Bool]]
    /// The soft truth (volunteer fractions, flux shares) and its presence.
    var soft: Tensor
    var softPresent: [[Bool]]

    /// - Parameters:
    ///   - truthNames: per class, the mask scored as binary truth; `softNames` as soft truth.
    static func run(model: SegmentationModel, loader: DataLoader, truthNames: [String], softNames: [String],
                    tta: TestTimeAugmentation?, log: (String) -> Void) throws -> MaskPredictions {
        model.eval()
        var ids: [String] = [], indices: [Int] = []
        var p: [Float] = [], t: [Float] = [], s: [Float] = []
        var tp: [[Bool]] = [], sp: [[Bool]] = []
        var shape: [Int] = []
        let epoch = loader.epoch(0)
        var done = 0
        let started = Date()
        var logged = started
        try GradMode.withoutGrad {
            while let batch = try epoch.next() {
                let probs = try model.probabilities(batch.images, tta: tta)
                let (truth, truthFlags) = try SegmentationModel.stack(batch, names: truthNames)
                let (soft, softFlags) = try SegmentationModel.stack(batch, names: softNames)
                p += probs.storage; t += truth.storage; s += soft.storage
                tp += truthFlags; sp += softFlags
                ids += batch.ids; indices += batch.indices
                shape = probs.shape
                done += batch.count
                guard Date().timeIntervalSince(logged) > 5 || done == loader.indices.count else { continue }
                logged = Date()
                log(String(format: "zoorun: predicted masks of %d/%d galaxies (%.0f s)", done, loader.indices.count, Date().timeIntervalSince(started)))
            }
        }
        guard !ids.isEmpty else { throw TrainingError.noData(train: 0, validation: 0) }
        shape[0] = ids.count
        return MaskPredictions(ids: ids, indices: indices, probabilities: try Tensor(shape: shape, storage: p),
                               truth: try Tensor(shape: shape, storage: t), truthPresent: tp,
                               soft: try Tensor(shape: shape, storage: s), softPresent: sp)
    }

    var count: Int { ids.count }
    var classCount: Int { probabilities.shape[1] }
    var plane: Int { probabilities.shape[2] * probabilities.shape[3] }

    /// Galaxy `n`'s probability map of class `k` as a 1×H×W image.
    func probabilityImage(_ n: Int, _ k: Int) -> Image { Self.image(probabilities, n, k) }
    func truthImage(_ n: Int, _ k: Int) -> Image { Self.image(truth, n, k) }

    static func image(_ t: Tensor, _ n: Int, _ k: Int) -> Image {
        let h = t.shape[2], w = t.shape[3], c = t.shape[1]
        let base = (n * c + k) * h * w
        return Image(channels: 1, height: h, width: w, pixels: Array(t.storage[base..<(base + h * w)]))
    }

    /// Galaxy `n` alone, as a batch of one, for per-galaxy metrics.
    func galaxy(_ n: Int) throws -> (p: Tensor, truth: Tensor, soft: Tensor) {
        let k = classCount * plane
        let shape = [1] + Array(probabilities.shape.dropFirst())
        func one(_ t: Tensor) throws -> Tensor { try Tensor(shape: shape, storage: Array(t.storage[(n * k)..<((n + 1) * k)])) }
        return (try one(probabilities), try one(truth), try one(soft))
    }
}
