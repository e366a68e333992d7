extension DecisionTree {
    /// The Galaxy Zoo DECaLS DR5 / DESI tree: 10 questions, 34 answers, in Zoobot's column
    /// order. `merging` is a second root: every volunteer answers it.
    public static let gzDecals = DecisionTree(name: "gz-decals", questions: [
        Question(name: "smooth-or-featured", answers: ["smooth", "featured-or-disk", "artifact"]),
        Question(name: "disk-edge-on", answers: ["yes", "no"],
                 askedAfter: "smooth-or-featured_featured-or-disk"),
        Question(name: "has-spiral-arms", answers: ["yes", "no"], askedAfter: "disk-edge-on_no"),
        Question(name: "bar", answers: ["strong", "weak", "no"], askedAfter: "disk-edge-on_no"),
        Question(name: "bulge-size", answers: ["dominant", "large", "moderate", "small", "none"],
                 askedAfter: "disk-edge-on_no"),
        Question(name: "how-rounded", answers: ["round", "in-between", "cigar-shaped"],
                 askedAfter: "smooth-or-featured_smooth"),
        Question(name: "edge-on-bulge", answers: ["boxy", "none", "rounded"], askedAfter: "disk-edge-on_yes"),
        Question(name: "spiral-winding", answers: ["tight", "medium", "loose"], askedAfter: "has-spiral-arms_yes"),
        Question(name: "spiral-arm-count", answers: ["1", "2", "3", "4", "more-than-4", "cant-tell"],
                 askedAfter: "has-spiral-arms_yes"),
        Question(name: "merging", answers: ["none", "minor-disturbance", "major-disturbance", "merger"]),
    ])
}
