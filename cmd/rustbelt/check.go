package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rustbelt/rustbelt/graph"
)

func checkCommand(m *Main) *cli.Command {
	return &cli.Command{
		Name:  "check",
		Usage: "lint the whole graph: figures that disagree, incomplete records, possible duplicates, unlinked entities, inferred facts",
		UsageText: "rustbelt check [--format table|json|csv]\n\n" +
			"Examples:\n" +
			"   rustbelt check\n" +
			"   rustbelt check --format json",
		Description: "Each finding has a severity, a rule, what it is about and the sources behind it:\n" +
			"   error    conflict      two sources give figures for one place, indicator and period that\n" +
			"                          no one value fits (a bound such as \"more than 3 trillion\" fits any\n" +
			"                          larger value; \"about 3.4 billion\" anything that rounds to it)\n" +
			"            incomplete    a record or entity lacks what its class needs (schema/README.md)\n" +
			"   warning  duplicate     two entities of one class (and one kind of place) whose names are\n" +
			"                          the same, or one letter apart, ignoring case, spaces and punctuation\n" +
			"            unreferenced  an indicator no figure measures, a post no record names, an entity\n" +
			"                          linked to nothing at all\n" +
			"   info     inferred      a fact a curator inferred from a source that the source does not state\n\n" +
			"The exit status is 1 when any finding is an error, so that a script can stop on one.",
		Flags: []cli.Flag{formatFlag},
		Action: func(c *cli.Context) error {
			return m.withGraph(c, func(g *graph.Graph) error {
				findings, err := g.Check(c.Context)
				if err != nil {
					return err
				}
				if err := m.render(c, findings); err != nil {
					return err
				}
				summary, errs := checkSummary(findings)
				if errs > 0 {
					return fmt.Errorf("check: %s", summary)
				}
				fmt.Fprintln(m.Stderr, "rustbelt: check:", summary)
				return nil
			})
		},
	}
}

// checkSummary counts findings by severity, "0 errors, 0 warnings, 9
// infos", and returns the number of errors.
func checkSummary(findings []graph.Finding) (string, int) {
	counts := map[string]int{}
	for _, f := range findings {
		counts[f.Severity]++
	}
	var parts []string
	for _, sev := range []string{graph.SeverityError, graph.SeverityWarning, graph.SeverityInfo} {
		parts = append(parts, fmt.Sprintf("%d %s%s", counts[sev], sev, plural(counts[sev])))
	}
	return strings.Join(parts, ", "), counts[graph.SeverityError]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
