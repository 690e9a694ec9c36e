// The report screen.

export const fr = {
  "report.title": "Rapport",
  "report.from": "Du",
  "report.to": "Au",
  "report.today": "Aujourd'hui",
  "report.sales": "Ventes",
  "report.amount": "Encaissé",
  "report.cost": "Coût",
  "report.margin": "Marge",
  "report.refunds": "Remboursements",
  "report.cancellations": "Annulations",
  "report.total": "Total",
  "report.to_settle": "À régler avant la clôture ({n}) :",
  "report.none": "Aucune vente sur cette période.",
  "report.print": "Imprimer",
  "report.training_note": "Les commandes de formation ne comptent pas.",
  "report.csv": "Exporter en CSV",
};

export const en: Record<keyof typeof fr, string> = {
  "report.title": "Report",
  "report.from": "From",
  "report.to": "To",
  "report.today": "Today",
  "report.sales": "Sales",
  "report.amount": "Takings",
  "report.cost": "Cost",
  "report.margin": "Margin",
  "report.refunds": "Refunds",
  "report.cancellations": "Cancellations",
  "report.total": "Total",
  "report.to_settle": "To settle before closing ({n}):",
  "report.none": "No sales in this period.",
  "report.print": "Print",
  "report.training_note": "Training orders do not count.",
  "report.csv": "Export as CSV",
};
