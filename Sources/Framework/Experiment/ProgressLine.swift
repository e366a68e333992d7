import Foundation

/// A progress line for a long loop, logged at most every five seconds and at the end, with
/// the rate and a note ("12,400 patches kept"). Not thread-safe: a parallel loop keeps it
/// behind a lock.
public struct ProgressLine {
    let label: String
    let total: Int
    let log: (String) -> Void
    let started = Date()
    var lastShown = Date.distantPast

    public init(label: String, total: Int, log: @escaping (String) -> Void) {
        self.label = label
        self.total = total
        self.log = log
    }

    public mutating func update(_ done: Int, note: String = "") {
        guard Date().timeIntervalSince(lastShown) > 5 || done == total else { return }
        lastShown = Date()
        let rate = Double(done) / max(Date().timeIntervalSince(started), 1e-9)
        log(String(format: "%@: %d/%d galaxies (%.0f/s)%@", label, done, total, rate, note.isEmpty ? "" : "; " + note))
    }
}
