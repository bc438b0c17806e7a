"""The app's pages, one module a group.

Athletes are addressed by name in the query string, jobs by their generated id:

- ``/``: athletes, create one (`athletes`)
- ``/athlete?name=``: sessions, compare two, upload, delete (`athletes`)
- ``/upload?name=``: the upload form (drag and drop or file picker) (`upload`)
- ``/jobs/{id}``: progress while queued or running, the report when done (`jobs`)
- ``/jobs/{id}/status``: progress as JSON (polled by the progress page) (`jobs`)
- ``/jobs/{id}/files/{path}``: a file of the job's output folder (`jobs`)
- ``/jobs/{id}/delete``: delete a queued or failed analysis (`jobs`)
- ``/jobs/{id}/reanalyse``: the stored video analysed again with other settings, a new job
  (`reanalyse`)
- ``/compare?name=&a=&b=``: two recorded sessions (history session ids) compared (`compare`)
- ``/comparisons/{folder}/{name}``: a file of a comparison report (`compare`)
- ``/login``: the access-token form (when the server has a token) (`login`)

Each module's ``add_routes(app, context=...)`` adds its group's routes to the
app, bound to an `~gait.web.context.AppContext`.
"""

from . import athletes, compare, jobs, login, reanalyse, upload

#: The route groups, in the order `create_app` adds their routes.
GROUPS = (login, athletes, upload, jobs, reanalyse, compare)
