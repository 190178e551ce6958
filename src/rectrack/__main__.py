from rectrack.launch import main

main()
