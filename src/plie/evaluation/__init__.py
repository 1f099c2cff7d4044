"""What an action achieves (issue 13): the action's reports to the PLIE, their figures frozen
at validation, and the added value of the action measured against comparable participants who
did not take it. The participants' satisfaction survey belongs to `actions`, which this app
reads."""
