"""The job fair: employers and licensed recruitment agencies register themselves, organizers
vet them and every vacancy before anything is public, job seekers express interest with the
consent they choose, employers move them through their pipeline, booths in the job-fair tent.
"""

BLUEPRINTS = ["forum.jobfair.routes", "forum.jobfair.personal", "forum.jobfair.employer",
              "forum.jobfair.manage", "forum.jobfair.api"]
DEMO = ("forum.jobfair.demo", 80)
COPY = ("forum.jobfair.copying", 80)
BENCH = ["bench.jobfair"]
