"""The council report's chapters, one module each, in the order they appear.

Each chapter is a function ``add(doc, *, <its inputs>)`` that appends its
blocks to a reports.document.Document and returns what it read (ids and
versions) for the build's manifest. Its inputs are explicit: the approved
snapshots come in through reports.sources.Sources (read once for the whole
document), live data (indicators, consultations, inventories) is read by the
chapter itself as of the period's end, and every chapter says on the page which
moment its content is from.

framing        title page facts, summary, about the report, analysis, conclusions
goals          results by focus area and goal (approved snapshots)
indicators     indicators, measurements up to the period's end
consultations  consultations held in the period, views waiting at its end
events         events held in the period, participants protected with the municipality's k
inventories    needs inventories with finalised results
funding        activities on temporary funding (approved snapshots)
changes        changes since the previous follow-up (approved snapshots)
"""
