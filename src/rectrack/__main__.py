from rectrack.cli import main

main()
