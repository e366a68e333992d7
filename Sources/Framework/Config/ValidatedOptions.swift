/// Options that check their values after decoding, so that a bad value is reported at its
/// own key's line like any other config error.
protocol ValidatedOptions {
    associatedtype ProblemKey: CodingKey
    /// Every invalid setting, with the key to blame.
    func problems() -> [(key: ProblemKey, message: String)]
}

extension ValidatedOptions {
    /// Throws the first problem as a decoding error at its key below `path`.
    func throwFirstProblem(under path: [CodingKey]) throws {
        guard let problem = problems().first else { return }
        throw DecodingError.dataCorrupted(.init(codingPath: path + [problem.key], debugDescription: problem.message))
    }

    /// The first problem's message, if any.
    var firstProblem: String? { problems().first?.message }
}
