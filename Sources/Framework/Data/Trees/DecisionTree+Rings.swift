extension DecisionTree {
    /// A one-question tree for ring finding: `ring_yes`, `ring_no`.
    public static let rings = DecisionTree(name: "rings", questions: [
        Question(name: "ring", answers: ["yes", "no"]),
    ])
}
