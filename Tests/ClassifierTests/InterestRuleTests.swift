import ClassifierPlugin
import Testing
@testable import Framework

@Suite("Anomaly search's interest rule")
struct InterestRuleTests {
    @Test func anyConditionMakesAGalaxyInteresting() throws {
        let rule = try InterestRule(["ring == 1", "merger > 0"])
        #expect(try rule.rating(["ring": 1, "merger": 0], example: 0) == 1)
        #expect(try rule.rating(["ring": 0, "merger": 3], example: 1) == 1)
        #expect(try rule.rating(["ring": 0, "merger": 0], example: 2) == 0)
    }

    @Test func badConditionsAndMissingLabelsAreNamed() throws {
        #expect(throws: ConfigError.self) { try InterestRule(["ring = 1"]) }
        #expect(throws: ConfigError.self) { try InterestRule(["ring =="]) }
        #expect(throws: ConfigError.self) { try InterestRule([]) }
        let rule = try InterestRule(["bar >= 2"])
        #expect(throws: ConfigError.self) { try rule.rating(["ring": 1], example: 4) }
    }
}
