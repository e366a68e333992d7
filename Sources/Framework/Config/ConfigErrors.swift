/// Several configuration errors found in one pass, each `file:line:col: error: …`, in file
/// order, so that fixing one does not reveal the next.
public struct ConfigErrors: Error, CustomStringConvertible, Equatable {
    public var errors: [ConfigError]

    public init(_ errors: [ConfigError]) {
        var seen = Set<String>()
        self.errors = errors.filter { seen.insert($0.description).inserted }
            .sorted { ($0.file, $0.line ?? 0, $0.column ?? 0) < ($1.file, $1.line ?? 0, $1.column ?? 0) }
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n") + (errors.count > 1 ? "\n\(errors.count) errors" : "")
    }

    /// The errors `body` throws: a `ConfigError`, the several of a `ConfigErrors`, or any
    /// other error as one at `fallback` (the section it came from).
    public static func collecting(at fallback: @autoclosure () -> ConfigError, _ body: () throws -> Void) -> [ConfigError] {
        do {
            try body()
            return []
        } catch let e as ConfigError {
            return [e]
        } catch let e as ConfigErrors {
            return e.errors
        } catch {
            var e = fallback()
            e.message += "\(error)"
            return [e]
        }
    }

    /// Throws nothing for no errors, the error itself for one, all of them for several.
    public static func throwIfAny(_ errors: [ConfigError]) throws {
        let all = ConfigErrors(errors)
        if all.errors.count == 1 { throw all.errors[0] }
        if !all.errors.isEmpty { throw all }
    }
}
