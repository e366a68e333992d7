/// Whether ops record themselves on the tape. Inference runs with it off so that no graph
/// is kept and no saved activations are retained.
///
/// The mode is task-local (thread-local outside tasks), so concurrent work — tests running
/// in parallel, a loader thread — never sees another's setting.
public enum GradMode {
    @TaskLocal static var enabled = true

    /// Whether recording is on.
    public static var isEnabled: Bool { enabled }

    /// Runs `body` with recording off (PyTorch's `no_grad`).
    @discardableResult
    public static func withoutGrad<T>(_ body: () throws -> T) rethrows -> T {
        try $enabled.withValue(false) { try body() }
    }
}
