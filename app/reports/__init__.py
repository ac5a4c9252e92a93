"""Reports: charts (matplotlib → SVG) and documents (WeasyPrint PDF) for pages and print."""
