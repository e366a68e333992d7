import Foundation

/// Shows progress: on a terminal, a bar with rate and ETA redrawn in place; otherwise (logs,
/// CI) a plain line every `lineEvery` batches and at each epoch end.
public final class ProgressReporter: TrainingCallback {
    let isTerminal: Bool
    let lineEvery: Int
    let unitsPerBatch: Int
    var epochStart = Date()
    var lastDraw = Date.distantPast
    /// Epochs finished by this process and their wall time, for the whole run's ETA (a
    /// resumed run counts from its restart, so the estimate reflects this machine's pace).
    var epochsTimed = 0
    var secondsTimed = 0.0
    let out: FileHandle

    /// - Parameter unitsPerBatch: images per batch, to report images/s.
    public init(unitsPerBatch: Int, lineEvery: Int = 50, output: FileHandle = .standardError) {
        self.isTerminal = isatty(output.fileDescriptor) != 0
        self.lineEvery = lineEvery
        self.unitsPerBatch = unitsPerBatch
        self.out = output
    }

    public func on(_ event: TrainingEvent, state: TrainerState) throws {
        switch event {
        case .epochStart:
            epochStart = Date()
        case let .batchEnd(epoch, batch, _):
            let elapsed = Date().timeIntervalSince(epochStart)
            let done = batch + 1
            let rate = Double(done * unitsPerBatch) / max(elapsed, 1e-9)
            let total = state.batchesPerEpoch
            let eta = total.map { Double($0 - done) * elapsed / Double(done) }
            let prefix = "epoch \(epoch + 1)/\(state.epochs)"
            let parts = state.runningParts.keys.sorted().map { " \($0) \(String(format: "%.4f", state.runningParts[$0]!))" }.joined()
            if isTerminal {
                guard Date().timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
                lastDraw = Date()
                var bar = ""
                if let total {
                    let width = 24, filled = min(width, done * width / max(1, total))
                    bar = "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] \(done)/\(total) "
                }
                let etaText = eta.map { " ETA \(Self.duration($0))" } ?? ""
                write("\r\(prefix) \(bar)loss \(String(format: "%.4f", state.runningLoss))\(parts) \(String(format: "%.0f", rate)) img/s\(etaText)\u{1B}[K")
            } else if done % lineEvery == 0 {
                let of = total.map { "/\($0)" } ?? ""
                let etaText = eta.map { " ETA \(Self.duration($0))" } ?? ""
                write("\(prefix) batch \(done)\(of) loss \(String(format: "%.4f", state.runningLoss))\(parts) \(String(format: "%.0f", rate)) img/s\(etaText)\n")
            }
        case let .epochEnd(epoch):
            let m = state.epochMetrics
            let shown = m.keys.filter { $0 != "epoch" && $0 != "learning_rate_multiplier" }.sorted()
                .map { "\($0) \(String(format: "%.4f", m[$0]!))" }.joined(separator: "  ")
            let seconds = Date().timeIntervalSince(epochStart)
            epochsTimed += 1
            secondsTimed += seconds
            let left = state.epochs - epoch - 1
            // Early stopping may end the run sooner; the estimate is the longest it can take.
            let runETA = left > 0 ? ", at most \(Self.duration(Double(left) * secondsTimed / Double(epochsTimed))) to go" : ""
            write("\(isTerminal ? "\r\u{1B}[K" : "")epoch \(epoch + 1)/\(state.epochs) done in \(Self.duration(seconds))\(runETA): \(shown)\n")
        default:
            break
        }
    }

    func write(_ s: String) { out.write(Data(s.utf8)) }

    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, t % 3600 / 60) : String(format: "%d:%02d", t / 60, t % 60)
    }
}
